// Asks the server for a presigned PUT, then uploads the file straight to S3 with progress.
const form = document.querySelector('#form');
const status = document.querySelector('#status');
const progress = document.querySelector('#progress');
const link = document.querySelector('#link');

function show(text, isError = false) {
  status.textContent = text;
  status.className = isError ? 'error' : '';
}

// XMLHttpRequest, not fetch: only it reports upload progress in every browser.
function put(url, file, contentType) {
  return new Promise((done, fail) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    xhr.setRequestHeader('content-type', contentType);
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) progress.value = e.loaded / e.total; };
    xhr.onload = () => (xhr.status === 200 ? done() : fail(new Error(`S3 answered ${xhr.status}: ${xhr.responseText}`)));
    xhr.onerror = () => fail(new Error('the upload failed (network)'));
    xhr.send(file);
  });
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const file = document.querySelector('#file').files[0];
  if (!file) return show('choose a file first', true);
  link.hidden = true;
  progress.value = 0;
  try {
    show(`signing ${file.name}…`);
    const answer = await fetch('/api/presign', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: file.name, type: file.type, size: file.size }),
    });
    if (!answer.ok) throw new Error(await answer.text());
    const { key, contentType, putUrl, getUrl } = await answer.json();
    show(`uploading ${file.size} bytes…`);
    await put(putUrl, file, contentType);
    link.href = getUrl;
    link.hidden = false;
    show(`uploaded ${key}`);
  } catch (e) {
    show(e.message, true);
  }
});

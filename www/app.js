// Asks the server for a presigned PUT (or, for a large file, the part URLs of a multipart
// upload), then sends the file straight to S3 with progress. No key ever reaches the page.
const form = document.querySelector('#form');
const status = document.querySelector('#status');
const progress = document.querySelector('#progress');
const link = document.querySelector('#link');
const files = document.querySelector('#files');

function show(text, isError = false) {
  status.textContent = text;
  status.className = isError ? 'error' : '';
}

/** Files larger than this go in parts (the server's policy signs 5 MiB parts). */
const MULTIPART_FROM = 8 << 20;

// XMLHttpRequest, not fetch: only it reports upload progress in every browser. Resolves to
// the ETag S3 answered (readable here: the page and S3 share an origin; cross-origin, the
// bucket's CORS rules must expose ETag).
function put(url, body, contentType, onProgress) {
  return new Promise((done, fail) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    if (contentType) xhr.setRequestHeader('content-type', contentType);
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded); };
    xhr.onload = () => (xhr.status === 200 ? done(xhr.getResponseHeader('etag'))
      : fail(new Error(`S3 answered ${xhr.status}: ${xhr.responseText}`)));
    xhr.onerror = () => fail(new Error('the upload failed (network)'));
    xhr.send(body);
  });
}

async function api(path, body) {
  const answer = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!answer.ok) throw new Error(await answer.text());
  return answer.json();
}

/** A large file: the server starts a multipart upload and signs a URL per part; up to three
 * parts go at once, each a `slice` of the file (never read whole); the server completes it,
 * or aborts it when a part fails. Where the upload stands is kept in localStorage, so after a
 * reload the same file (same name and size) resumes: the parts S3 already has are not sent
 * again. */
async function uploadInParts(file) {
  const saved = `livery-upload:${file.name}:${file.size}`;
  const started = JSON.parse(localStorage.getItem(saved) ?? 'null');
  let key, uploadId, partSize, partUrls, confirmed = [];
  if (started) {
    ({ key, uploadId, partSize } = started);
    ({ confirmed, partUrls } = await api('/api/uploads/resume', { key, uploadId, size: file.size }));
  } else {
    ({ key, uploadId, partSize, partUrls } = await api('/api/uploads/start', { name: file.name, type: file.type, size: file.size }));
  }
  const sizeOf = (i) => Math.min(partSize, file.size - i * partSize);
  // A part counts as sent when S3 lists it at its size, with its ETag (from the listing, or as
  // saved when its upload answered: some servers list no ETags).
  const parts = confirmed.flatMap(({ partNumber, size, etag }) => {
    etag ??= started?.parts?.find((p) => p.partNumber === partNumber)?.etag;
    return size === sizeOf(partNumber - 1) && etag ? [{ partNumber, etag }] : [];
  });
  const checkpoint = () => localStorage.setItem(saved, JSON.stringify({ key, uploadId, partSize, parts }));
  checkpoint();
  const sent = partUrls.map((_, i) => (parts.some((p) => p.partNumber === i + 1) ? sizeOf(i) : 0));
  let next = 0;
  const worker = async () => {
    for (let i; (i = next++) < partUrls.length;) {
      if (sent[i] === sizeOf(i)) continue;
      const body = file.slice(i * partSize, (i + 1) * partSize);
      const etag = await put(partUrls[i], body, undefined, (loaded) => {
        sent[i] = loaded;
        progress.value = sent.reduce((a, b) => a + b, 0) / file.size;
      });
      parts.push({ partNumber: i + 1, etag });
      checkpoint();
    }
  };
  try {
    await Promise.all([worker(), worker(), worker()]);
  } catch (e) {
    localStorage.removeItem(saved);
    await api('/api/uploads/abort', { key, uploadId }).catch(() => {});
    throw e;
  }
  parts.sort((a, b) => a.partNumber - b.partNumber);
  const { getUrl } = await api('/api/uploads/complete', { key, uploadId, parts });
  localStorage.removeItem(saved);
  return { key, getUrl, parts: partUrls.length };
}

/** Lists the uploads, each with a download link and a delete button (both through the server's
 * signatures: the page holds no key). */
async function refresh() {
  const listed = await api('/api/uploads/list', {});
  files.replaceChildren(...listed.map(({ key, size, getUrl }) => {
    const item = document.createElement('li');
    const download = Object.assign(document.createElement('a'), { href: getUrl, textContent: `${key} (${size} bytes)` });
    const remove = Object.assign(document.createElement('button'), { textContent: 'delete', type: 'button' });
    remove.addEventListener('click', async () => {
      await api('/api/uploads/delete', { key });
      await refresh();
    });
    item.append(download, ' ', remove);
    return item;
  }));
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const file = document.querySelector('#file').files[0];
  if (!file) return show('choose a file first', true);
  link.hidden = true;
  progress.value = 0;
  try {
    show(`signing ${file.name}…`);
    if (file.size > MULTIPART_FROM) {
      show(`uploading ${file.size} bytes in parts…`);
      const { key, getUrl, parts } = await uploadInParts(file);
      progress.value = 1;
      link.href = getUrl;
      link.hidden = false;
      await refresh();
      return show(`uploaded ${key} in ${parts} parts`);
    }
    const { key, contentType, putUrl, getUrl } = await api('/api/presign', { name: file.name, type: file.type, size: file.size });
    show(`uploading ${file.size} bytes…`);
    await put(putUrl, file, contentType, (loaded) => { progress.value = loaded / file.size; });
    progress.value = 1;
    link.href = getUrl;
    link.hidden = false;
    await refresh();
    show(`uploaded ${key}`);
  } catch (e) {
    show(e.message, true);
  }
});

refresh().catch((e) => show(e.message, true));

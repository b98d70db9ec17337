// Sends each picked file straight to S3, in the mode picked:
// - presigned: the server signs a PUT for a small file, or starts a multipart upload and signs
//   its parts for a large one; no key reaches the page, nor livery-s3's wasm (large files go
//   through its browser half of presigned multipart uploads, /livery-s3/presigned-parts.js);
// - POST form: the server signs a form whose policy caps the file's size, and S3 enforces it;
// - STS: the page trades a token from the (demo) identity provider for temporary keys and
//   uploads with livery-s3 itself, loaded only in this mode.
import { uploadByPresignedParts } from '/livery-s3/presigned-parts.js';

const form = document.querySelector('#form');
const status = document.querySelector('#status');
const progress = document.querySelector('#progress');
const link = document.querySelector('#link');
const queue = document.querySelector('#queue');
const files = document.querySelector('#files');

function show(text, isError = false) {
  status.textContent = text;
  status.className = isError ? 'error' : '';
}

/** Files larger than this go in parts (the server's policy signs 5 MiB parts). */
const MULTIPART_FROM = 8 << 20;

// XMLHttpRequest, not fetch: only it reports upload progress in every browser. Resolves once
// S3 answered with a 2xx.
function send(method, url, body, contentType, onProgress) {
  return new Promise((done, fail) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    if (contentType) xhr.setRequestHeader('content-type', contentType);
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded); };
    xhr.onload = () => (xhr.status >= 200 && xhr.status < 300 ? done()
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

/** A large file, by presigned parts: the server starts the upload and signs a URL per part, up
 * to three parts go at once, each a `slice` of the file (never read whole), and the server
 * completes it, or aborts it when a part fails. Where the upload stands is kept in
 * localStorage, so after a reload the same file (same name and size) resumes: the parts S3
 * already has are not sent again. */
async function uploadInParts(file, onProgress, signal) {
  const saved = `livery-upload:${file.name}:${file.size}`;
  const resume = JSON.parse(localStorage.getItem(saved) ?? 'null') ?? undefined;
  let key = resume?.key;
  try {
    const { parts } = await uploadByPresignedParts({
      body: file,
      resume,
      concurrency: 3,
      start: async ({ size }) => {
        const started = await api('/api/uploads/start', { name: file.name, type: file.type, size });
        key = started.key;
        return started;
      },
      partUrl: async (part) => (await api('/api/uploads/part-url', part)).url,
      parts: (upload) => api('/api/uploads/parts', upload),
      complete: (done) => api('/api/uploads/complete', done),
      // Paused (the signal): the upload stays, to resume; any other failure ends it.
      abort: (upload) => (signal.aborted ? undefined : api('/api/uploads/abort', upload)),
      onProgress: ({ loaded }) => onProgress(loaded),
      onCheckpoint: (checkpoint) => localStorage.setItem(saved, JSON.stringify(checkpoint)),
      signal,
    });
    return { key, parts: parts.length };
  } finally {
    // Done, or failed and aborted: either way there is nothing left to resume.
    if (!signal.aborted) localStorage.removeItem(saved);
  }
}

/** A small file: one presigned PUT, with progress as it goes. */
async function uploadWhole(file, onProgress) {
  const { key, contentType, putUrl } = await api('/api/presign', { name: file.name, type: file.type, size: file.size });
  await send('PUT', putUrl, file, contentType, onProgress);
  return { key };
}

/** POST form mode: the form's fields, then the file. The policy caps its size; S3 (not this
 * page) refuses a larger file, and the page says why. */
async function postForm(file, onProgress) {
  const { key, url, fields, max } = await api('/api/post-form', { name: file.name, type: file.type });
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', file);
  try {
    await send('POST', url, form, undefined, (loaded) => onProgress(Math.min(loaded, file.size)));
  } catch (e) {
    throw file.size > max ? new Error(`S3 refused it: the form allows at most ${max} bytes`) : e;
  }
  return { key };
}

/** STS mode: livery-s3 in the page, with web identity credentials (refreshed before they
 * expire, one refresh at a time) and its managed upload. The client asks for a token each
 * time it needs keys from STS: the page counts them, so a refresh is seen. */
let stsClient;
let stsExchanges = 0;
async function stsToken() {
  const { token } = await api('/api/demo-token', {});
  const keys = document.querySelector('#keys');
  keys.textContent = `temporary keys from STS: ${++stsExchanges} exchange${stsExchanges > 1 ? 's' : ''} of a token (the last at ${new Date().toLocaleTimeString()})`;
  keys.hidden = false;
  return token;
}
async function uploadWithSts(file, onProgress) {
  // One client for every file (files start together: the first call makes it).
  stsClient ??= Promise.all([import('/livery-s3/index.browser.js'), api('/api/demo-token', {})])
    .then(([{ S3Client }, { roleArn }]) => new S3Client({ region: 'us-east-1', endpoint: location.origin,
      credentials: { webIdentity: { roleArn, token: stsToken, stsEndpoint: location.origin } } }));
  const s3 = await stsClient;
  const key = `uploads/${Date.now()}-${file.name.replaceAll('/', '_')}`;
  const done = await s3.upload({ bucket: 'www-sts', key, body: file, contentType: file.type || undefined,
    onProgress: ({ loaded }) => onProgress(loaded) });
  return { key, parts: done.parts?.length };
}

/** How a file goes, by the mode picked (and, for `auto`, its size). */
function uploadOne(file, onProgress, signal) {
  const mode = document.querySelector('#mode').value;
  if (mode === 'post') return postForm(file, onProgress);
  if (mode === 'sts') return uploadWithSts(file, onProgress);
  const inParts = mode === 'parts' || (mode === 'auto' && file.size > MULTIPART_FROM);
  return inParts ? uploadInParts(file, onProgress, signal) : uploadWhole(file, onProgress);
}

// Pause stops the uploads by parts in flight and keeps them (and their checkpoints): Upload
// with the same files resumes them.
const pause = document.querySelector('#pause');
let running;
pause.addEventListener('click', () => running?.abort());

/** Lists the uploads, each with a download link and a delete button (both through the server's
 * signatures: the page holds no key). */
async function refresh() {
  const listed = await api('/api/uploads/list', {});
  files.replaceChildren(...listed.map(({ bucket, key, size, getUrl }) => {
    const item = document.createElement('li');
    const download = Object.assign(document.createElement('a'), { href: getUrl, textContent: `${bucket}/${key} (${size} bytes)` });
    const remove = Object.assign(document.createElement('button'), { textContent: 'delete', type: 'button' });
    remove.addEventListener('click', async () => {
      await api('/api/uploads/delete', { bucket, key });
      await refresh();
    });
    item.append(download, ' ', remove);
    return item;
  }));
}

/** A row in the queue: the file's name, its own progress bar and what happened to it. */
function row(file) {
  const item = document.createElement('li');
  const bar = Object.assign(document.createElement('progress'), { max: file.size || 1, value: 0 });
  const note = document.createElement('span');
  item.append(`${file.name} `, bar, ' ', note);
  queue.append(item);
  return { bar, note };
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const picked = [...document.querySelector('#file').files];
  if (!picked.length) return show('choose a file first', true);
  link.hidden = true;
  progress.value = 0;
  queue.replaceChildren();
  const total = picked.reduce((sum, file) => sum + file.size, 0) || 1;
  const loaded = new Map();
  running = new AbortController();
  const { signal } = running;
  pause.hidden = false;
  show(`uploading ${picked.length} file${picked.length > 1 ? 's' : ''}…`);
  // Every file at once, each with its own bar; the overall bar sums them.
  const results = await Promise.allSettled(picked.map(async (file) => {
    const { bar, note } = row(file);
    const onProgress = (bytes) => {
      bar.value = bytes;
      loaded.set(file, bytes);
      progress.value = [...loaded.values()].reduce((a, b) => a + b, 0) / total;
    };
    try {
      const done = await uploadOne(file, onProgress, signal);
      onProgress(file.size);
      note.textContent = done.parts ? `uploaded in ${done.parts} parts` : 'uploaded';
      return done;
    } catch (e) {
      const paused = signal.aborted && e.kind === 'aborted';
      note.textContent = paused ? 'paused' : e.message;
      note.className = paused ? '' : 'error';
      throw e;
    }
  }));
  pause.hidden = true;
  const failed = results.filter((r) => r.status === 'rejected');
  await refresh().catch(() => {});
  if (signal.aborted) return show('paused: Upload the same files again to resume');
  if (failed.length) return show(failed.map((r) => r.reason.message).join('; '), true);
  const done = results.map((r) => r.value);
  if (done.length > 1) return show(`uploaded ${done.length} files`);
  const { key, parts } = done[0];
  link.href = (await api('/api/uploads/list', {})).find((o) => o.key === key)?.getUrl ?? '';
  link.hidden = false;
  show(parts ? `uploaded ${key} in ${parts} parts` : `uploaded ${key}`);
});

// Files dropped on the page go as if picked and sent.
const drop = document.querySelector('#drop');
document.addEventListener('dragover', (event) => {
  event.preventDefault();
  drop.className = 'over';
});
document.addEventListener('dragleave', () => { drop.className = ''; });
document.addEventListener('drop', (event) => {
  event.preventDefault();
  drop.className = '';
  if (!event.dataTransfer?.files.length) return;
  document.querySelector('#file').files = event.dataTransfer.files;
  form.requestSubmit();
});

refresh().catch((e) => show(e.message, true));

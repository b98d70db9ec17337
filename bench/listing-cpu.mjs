// The client's own work on one 1000-key listing page, without a server: each client's fetch
// is a double answering the same ListObjectsV2 page (the shape Garage and AWS write, 200 KB),
// so what is left is signing, reading the body and parsing it. aws4fetch leaves the XML to its
// user, so it runs twice: with a regex over the keys (the least one can do), and with a JS
// reader of every field livery-s3 returns (key, date, ETag with its entities, size, storage
// class), the same work. The listing table of run.mjs adds the server's time to this.
import { AwsClient } from 'aws4fetch';
import { S3Client as Livery } from '../pkg/index.node.js';
import { check, now, rounds, table } from './harness.mjs';

const KEYS = 1000, ROUNDS = 60, WARM = 10;

function page() {
  let xml = '<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
    + `<Name>bench</Name><Prefix>list/</Prefix><KeyCount>${KEYS}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>`;
  for (let i = 0; i < KEYS; i++) {
    xml += `<Contents><Key>list/${String(i).padStart(5, '0')}</Key><LastModified>2026-12-02T06:00:00.${String(i).padStart(3, '0').slice(-3)}Z</LastModified>`
      + '<ETag>&quot;d41d8cd98f00b204e9800998ecf8427e&quot;</ETag><Size>0</Size><StorageClass>STANDARD</StorageClass></Contents>';
  }
  return new TextEncoder().encode(`${xml}</ListBucketResult>`);
}

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const text = (raw) => raw.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (_, e) => (e[0] === '#'
  ? String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : +e.slice(1)) : ENTITIES[e]));

/** A ListObjectsV2 page read in JS with regular expressions, into what livery-s3 returns. */
function readPage(xml) {
  const field = (block, name) => {
    const m = new RegExp(`<${name}>([^<]*)</${name}>`).exec(block);
    return m ? text(m[1]) : undefined;
  };
  const contents = [...xml.matchAll(/<Contents>([\s\S]*?)<\/Contents>/g)].map(([, item]) => ({
    key: field(item, 'Key'),
    lastModified: new Date(field(item, 'LastModified')),
    etag: field(item, 'ETag'),
    size: Number(field(item, 'Size') ?? 0),
    storageClass: field(item, 'StorageClass'),
  }));
  return { contents, isTruncated: field(xml, 'IsTruncated') === 'true', keyCount: Number(field(xml, 'KeyCount')) };
}

/** Prints ms per page (p50 and best of ROUNDS) for livery-s3, aws4fetch + a regex over the keys,
 * and aws4fetch with every field read in JS. */
export async function listingCpu() {
  const body = page();
  const answer = async () => new Response(body, { headers: { 'content-type': 'application/xml' } });
  const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
  const endpoint = 'http://127.0.0.1:9000';
  const livery = new Livery({ region: 'us-east-1', endpoint, credentials, fetch: answer });
  const aws = new AwsClient({ ...credentials, service: 's3', region: 'us-east-1' });
  const clients = [
    { name: 'livery-s3', list: async () => (await livery.listObjects({ bucket: 'bench', prefix: 'list/', maxKeys: 1000 })).contents.map((o) => o.key) },
    { name: 'aws4fetch (regex over the XML)', list: async () => {
      const signed = await aws.sign(`${endpoint}/bench?list-type=2&max-keys=1000&prefix=list/`);
      const xml = await (await answer(signed)).text();
      return [...xml.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1]);
    } },
    { name: 'aws4fetch (every field read in JS)', list: async () => {
      const signed = await aws.sign(`${endpoint}/bench?list-type=2&max-keys=1000&prefix=list/`);
      const page = readPage(await (await answer(signed)).text());
      check(page.contents[7].etag === '"d41d8cd98f00b204e9800998ecf8427e"' && page.contents[7].lastModified.getUTCMilliseconds() === 7,
        'the page read wrongly');
      return page.contents.map((o) => o.key);
    } },
  ];
  const ms = new Map(clients.map((c) => [c, []]));
  const failed = await rounds(clients, ROUNDS + WARM, async (c, r) => {
    const t = now();
    const keys = await c.list();
    if (r >= WARM) ms.get(c).push(now() - t);
    check(keys.length === KEYS && keys[KEYS - 1] === `list/${String(KEYS - 1).padStart(5, '0')}`, `${keys.length} keys`);
  });
  table(`listing, the client's work alone (a fetch double answers one ${KEYS}-key page of ${(body.length / 1024).toFixed(0)} KiB; ${ROUNDS} pages each)`,
    ['ms/page p50', 'best'], clients.map((c) => {
      if (failed.has(c)) return [c.name, failed.get(c)];
      const sorted = ms.get(c).sort((a, b) => a - b);
      return [c.name, sorted[sorted.length >> 1].toFixed(2), sorted[0].toFixed(2)];
    }));
}

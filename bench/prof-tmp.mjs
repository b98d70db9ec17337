import { S3Client as Livery } from '../pkg/index.node.js';
const KEYS = 1000;
let xml = '<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
    + `<Name>bench</Name><Prefix>list/</Prefix><KeyCount>${KEYS}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>`;
for (let i = 0; i < KEYS; i++) xml += `<Contents><Key>list/${String(i).padStart(5, '0')}</Key><LastModified>2026-12-02T06:00:00.${String(i).padStart(3, '0').slice(-3)}Z</LastModified><ETag>&quot;d41d8cd98f00b204e9800998ecf8427e&quot;</ETag><Size>0</Size><StorageClass>STANDARD</StorageClass></Contents>`;
const body = new TextEncoder().encode(`${xml}</ListBucketResult>`);
const answer = async () => new Response(body, { headers: { 'content-type': 'application/xml' } });
const livery = new Livery({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9000', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' }, fetch: answer });
for (let i = 0; i < 50; i++) await livery.listObjects({ bucket: 'bench', prefix: 'list/', maxKeys: 1000 });
const N = 400; const t = performance.now();
for (let i = 0; i < N; i++) await livery.listObjects({ bucket: 'bench', prefix: 'list/', maxKeys: 1000 });
console.log('ms/page', ((performance.now() - t) / N).toFixed(2));

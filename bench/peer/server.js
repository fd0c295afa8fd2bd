// The peer a user might write instead of running Coedge: node:http + onnxruntime-node, one session per model,
// KServe v2 JSON infer for FP32 inputs, no batching, no queue. Used only by bench/run.sh as a comparison.
// Usage: node server.js PORT MODELS_DIR
'use strict';
const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');
const ort = require('onnxruntime-node');

const port = Number(process.argv[2] || 18183);
const dir = process.argv[3] || 'models';
const sessions = {};

async function load() {
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name, '1', 'model.onnx');
    if (fs.existsSync(file)) {
      sessions[name] = await ort.InferenceSession.create(file, { intraOpNumThreads: 1, interOpNumThreads: 1 });
    }
  }
}

function answer(res, status, body) {
  const s = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(s) });
  res.end(s);
}

async function infer(name, body, res) {
  const session = sessions[name];
  if (!session) return answer(res, 404, { error: `unknown model '${name}'` });
  const req = JSON.parse(body);
  const feeds = {};
  for (const i of req.inputs) {
    feeds[i.name] = new ort.Tensor('float32', Float32Array.from(i.data.flat(Infinity)), i.shape);
  }
  const out = await session.run(feeds);
  const outputs = Object.entries(out).map(([n, t]) => ({ name: n, datatype: 'FP32', shape: t.dims, data: Array.from(t.data) }));
  answer(res, 200, { model_name: name, model_version: '1', id: req.id, outputs });
}

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/v2/health/ready') return answer(res, 200, { ready: true });
  const m = /^\/v2\/models\/([^/]+)\/infer$/.exec(req.url);
  if (req.method !== 'POST' || !m) return answer(res, 404, { error: 'not found' });
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => infer(m[1], Buffer.concat(chunks).toString('utf8'), res)
    .catch((e) => answer(res, 400, { error: String(e.message || e) })));
});

load().then(() => server.listen(port, '127.0.0.1', () => console.log(`peer ready on 127.0.0.1:${port}`)));

// Runs ONNX files with onnxruntime-node, for the ONNX export tests and bench/reference/onnx_speed.cs.
//   node bench/reference/onnx_run.mjs jobs.json
// jobs.json is a list of jobs: {"model": "m.onnx", "inputs": {"rows": {"file": "x.bin", "dims": [7, 64]}},
// "outputs": {"code": "code.bin"}, "repeats": 0}. Inputs and outputs are raw little-endian float32 files. With
// "repeats" > 0 the job is also timed: warm-up runs, then that many timed runs of one batch each; the median
// milliseconds are printed. Prints one JSON line per job: {"model", "median_ms", "threads"}.
import { readFileSync, writeFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';

const jobs = JSON.parse(readFileSync(process.argv[2], 'utf8'));
for (const job of jobs) {
  const session = await ort.InferenceSession.create(job.model, job.threads ? { intraOpNumThreads: job.threads } : {});
  const feeds = {};
  for (const [name, input] of Object.entries(job.inputs)) {
    const bytes = readFileSync(input.file);
    const values = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    feeds[name] = new ort.Tensor('float32', values, input.dims);
  }
  const results = await session.run(feeds);
  for (const [name, file] of Object.entries(job.outputs ?? {})) {
    const data = results[name].data;
    writeFileSync(file, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  }
  let median = null;
  if (job.repeats > 0) {
    for (let i = 0; i < Math.max(10, job.repeats / 10); i++) await session.run(feeds);
    const times = [];
    for (let i = 0; i < job.repeats; i++) {
      const start = process.hrtime.bigint();
      await session.run(feeds);
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    times.sort((a, b) => a - b);
    const mid = times.length >> 1;
    median = times.length % 2 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
  }
  console.log(JSON.stringify({ model: job.model, median_ms: median, threads: job.threads ?? null }));
  await session.release();
}

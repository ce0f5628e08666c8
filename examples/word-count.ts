/**
 * `npm start`: runs WordCount (examples/word-count.json) on a MiniCluster of 2 TaskExecutors with
 * 2 slots each, prints a progress line while it runs, then the most frequent words and the time.
 */
import { readFileSync } from 'node:fs';

import { ExecutionState, MiniCluster, MiniClusterConfiguration, jobGraphFromJson } from '@eddy/runtime';
import type { JobGraphJson, KeyedSum } from '@eddy/runtime';

const jobJson = JSON.parse(
  readFileSync(new URL('./word-count.json', import.meta.url), 'utf8'),
) as JobGraphJson;
const lines = Number(process.argv[2] ?? 1_000_000);
const json: JobGraphJson = {
  ...jobJson,
  vertices: jobJson.vertices.map((v) =>
    v.invokable === 'eddy.text-generator-source'
      ? { ...v, configuration: { ...v.configuration, 'generator.lines': lines } }
      : v,
  ),
};

const cluster = new MiniCluster(
  MiniClusterConfiguration.newBuilder().setNumTaskManagers(2).setNumSlotsPerTaskManager(2).build(),
);
const started = performance.now();
await cluster.start();
try {
  const jobGraph = jobGraphFromJson(json);
  const { jobId } = { jobId: (await cluster.submitJob(jobGraph)).getJobID() };
  console.log(`Submitted ${jobGraph.getName()} (${jobId}): ${lines} lines of generated text.`);
  const progress = setInterval(() => {
    void cluster.getExecutionGraph(jobId).then((graph) => {
      const states = graph.getAllVertices().flatMap((v) => v.subtasks.map((s) => s.currentExecution.state));
      const count = (state: ExecutionState) => states.filter((s) => s === state).length;
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(
        `  ${graph.getState()} · ${count(ExecutionState.RUNNING)} running, ${count(ExecutionState.FINISHED)}/${states.length} finished · ${seconds} s`,
      );
    });
  }, 250);
  const result = await cluster.requestJobResult(jobId);
  clearInterval(progress);
  const execution = result.getJobExecutionResult();
  const counts = execution.getAccumulatorResult<KeyedSum[]>('counts') ?? [];
  const total = counts.reduce((sum, [, n]) => sum + n, 0);
  console.log(
    `\n${result.getApplicationStatus()}: ${total} words, ${counts.length} distinct. Most frequent:`,
  );
  for (const [word, n] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, 10))
    console.log(`  ${String(word).padEnd(12)} ${n}`);
  console.log(
    `\nJob took ${execution.getNetRuntime()} ms (${((performance.now() - started) / 1000).toFixed(2)} s with cluster start-up).`,
  );
} finally {
  await cluster.closeAsync();
}

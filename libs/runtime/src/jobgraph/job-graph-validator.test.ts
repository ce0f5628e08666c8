import { describe, expect, it } from 'vitest';

import { IntermediateDataSetID } from '../core/ids.js';
import { AbstractInvokable } from '../execution/invokable.js';
import { DistributionPattern, PARALLELISM_DEFAULT, ResultPartitionType } from './enums.js';
import { JobGraph } from './job-graph.js';
import { InvalidJobGraphError, checkJobGraph, validateJobGraph } from './job-graph-validator.js';
import { JobVertex } from './job-vertex.js';
import type { PartitionerSpec } from './partitioner-spec.js';
import { partitionerFitsPattern } from './partitioner-spec.js';

class Noop extends AbstractInvokable {
  invoke(): Promise<void> {
    return Promise.resolve();
  }
}

/** A class with the same name as Noop, but a different class. */
const OtherNoop = (() => {
  class Noop extends AbstractInvokable {
    invoke(): Promise<void> {
      return Promise.resolve();
    }
  }
  return Noop;
})();

function vertex(name: string, parallelism = 2): JobVertex {
  const v = new JobVertex(name);
  v.setParallelism(parallelism);
  v.setInvokableClass(Noop);
  return v;
}

function graphOf(...vertices: JobVertex[]): JobGraph {
  const jobGraph = new JobGraph('job');
  for (const v of vertices) jobGraph.addVertex(v);
  return jobGraph;
}

/** source → map → sink, a valid graph. */
function pipeline(): { jobGraph: JobGraph; source: JobVertex; map: JobVertex; sink: JobVertex } {
  const source = vertex('source');
  const map = vertex('map');
  const sink = vertex('sink', 1);
  map.connectNewDataSetAsInput(source, DistributionPattern.POINTWISE, ResultPartitionType.PIPELINED);
  sink.connectNewDataSetAsInput(map, DistributionPattern.ALL_TO_ALL, ResultPartitionType.BLOCKING, {
    type: 'hash',
  });
  return { jobGraph: graphOf(source, map, sink), source, map, sink };
}

describe('validateJobGraph', () => {
  it('finds nothing wrong with a valid graph', () => {
    const { jobGraph } = pipeline();
    expect(validateJobGraph(jobGraph)).toEqual([]);
    expect(() => {
      checkJobGraph(jobGraph);
    }).not.toThrow();
  });

  it('reports a graph without vertices', () => {
    expect(validateJobGraph(new JobGraph('empty'))).toEqual(['The job graph has no vertices.']);
  });

  it('reports a cycle, naming the vertices on it', () => {
    const a = vertex('a');
    const b = vertex('b');
    const c = vertex('c');
    b.connectNewDataSetAsInput(a, DistributionPattern.POINTWISE, ResultPartitionType.PIPELINED);
    c.connectNewDataSetAsInput(b, DistributionPattern.POINTWISE, ResultPartitionType.PIPELINED);
    const back = c.createAndAddResultDataSet(IntermediateDataSetID.generate(), ResultPartitionType.PIPELINED);
    a.connectDataSetAsInput(back, DistributionPattern.POINTWISE);
    const problems = validateJobGraph(graphOf(a, b, c));
    expect(problems).toEqual(["The job graph has a cycle through the vertices 'a', 'b', 'c'."]);
  });

  it('reports a vertex that consumes its own output as a cycle', () => {
    const a = vertex('loop');
    a.connectDataSetAsInput(
      a.createAndAddResultDataSet(IntermediateDataSetID.generate(), ResultPartitionType.PIPELINED),
      DistributionPattern.POINTWISE,
    );
    expect(validateJobGraph(graphOf(a))).toEqual(["The job graph has a cycle through the vertices 'loop'."]);
  });

  it('reports a cycle next to other problems', () => {
    const a = vertex('a');
    const b = vertex('b');
    b.connectNewDataSetAsInput(a, DistributionPattern.POINTWISE, ResultPartitionType.PIPELINED);
    a.connectDataSetAsInput(
      b.createAndAddResultDataSet(IntermediateDataSetID.generate(), ResultPartitionType.PIPELINED),
      DistributionPattern.POINTWISE,
    );
    const lonely = new JobVertex('lonely');
    const problems = validateJobGraph(graphOf(a, b, lonely));
    expect(problems).toContain("Vertex 'lonely' has no invokable.");
    expect(problems).toContain("The job graph has a cycle through the vertices 'a', 'b'.");
  });

  it('reports an input from a vertex that is not in the graph', () => {
    const outside = vertex('outside');
    const inside = vertex('inside');
    inside.connectNewDataSetAsInput(outside, DistributionPattern.POINTWISE, ResultPartitionType.PIPELINED);
    expect(validateJobGraph(graphOf(inside))).toEqual([
      `Vertex 'inside' consumes from 'outside' (${outside.getID()}), which is not in the job graph.`,
    ]);
  });

  it('reports an output to a vertex that is not in the graph', () => {
    const inside = vertex('inside');
    const outside = vertex('outside');
    outside.connectNewDataSetAsInput(inside, DistributionPattern.POINTWISE, ResultPartitionType.PIPELINED);
    expect(validateJobGraph(graphOf(inside))).toEqual([
      `Vertex 'inside' produces for 'outside' (${outside.getID()}), which is not in the job graph.`,
    ]);
  });

  it('reports a default parallelism below 1', () => {
    const v = vertex('v');
    v.setParallelism(PARALLELISM_DEFAULT);
    expect(validateJobGraph(graphOf(v), { defaultParallelism: 0 })).toEqual([
      "Vertex 'v' has parallelism 0; it must be at least 1.",
    ]);
    expect(validateJobGraph(graphOf(v), { defaultParallelism: 3 })).toEqual([]);
    expect(validateJobGraph(graphOf(v))).toEqual([]);
  });

  it('reports a parallelism above the max parallelism or the upper bound', () => {
    const capped = vertex('capped', 5);
    capped.setMaxParallelism(4);
    expect(validateJobGraph(graphOf(capped))).toEqual([
      "Vertex 'capped' has parallelism 5, above its max parallelism 4.",
    ]);
    const huge = vertex('huge', 40_000);
    expect(validateJobGraph(graphOf(huge))).toEqual([
      "Vertex 'huge' has parallelism 40000, above the upper bound 32768.",
    ]);
    const defaulted = vertex('defaulted');
    defaulted.setParallelism(PARALLELISM_DEFAULT);
    defaulted.setMaxParallelism(2);
    expect(validateJobGraph(graphOf(defaulted), { defaultParallelism: 3 })).toEqual([
      "Vertex 'defaulted' has parallelism 3, above its max parallelism 2.",
    ]);
  });

  it('reports a vertex without invokable', () => {
    const v = new JobVertex('bare');
    v.setParallelism(1);
    expect(validateJobGraph(graphOf(v))).toEqual(["Vertex 'bare' has no invokable."]);
  });

  it('reports an invokable name that is not registered, when it can tell', () => {
    const v = new JobVertex('named');
    v.setInvokableClassName('no.such.task');
    const known = (name: string) => name === 'eddy.forward';
    expect(validateJobGraph(graphOf(v), { isKnownInvokable: known })).toEqual([
      "Vertex 'named' names the invokable 'no.such.task', which is not registered.",
    ]);
    expect(validateJobGraph(graphOf(v))).toEqual([]);
    v.setInvokableClassName('eddy.forward');
    expect(validateJobGraph(graphOf(v), { isKnownInvokable: known })).toEqual([]);
    // A vertex that carries its class needs no registry entry.
    const withClass = vertex('with-class');
    expect(validateJobGraph(graphOf(withClass), { isKnownInvokable: () => false })).toEqual([]);
  });

  it('reports two different invokable classes under one name', () => {
    const a = vertex('a');
    const b = new JobVertex('b');
    b.setInvokableClass(OtherNoop);
    expect(validateJobGraph(graphOf(a, b))).toEqual([
      "Two different invokable classes are named 'Noop'; give one a static invokableName.",
    ]);
  });

  it.each([
    [DistributionPattern.POINTWISE, { type: 'rebalance' }, 'POINTWISE inputs take forward or rescale.'],
    [DistributionPattern.POINTWISE, { type: 'hash' }, 'POINTWISE inputs take forward or rescale.'],
    [DistributionPattern.POINTWISE, { type: 'broadcast' }, 'POINTWISE inputs take forward or rescale.'],
    [
      DistributionPattern.ALL_TO_ALL,
      { type: 'forward' },
      'ALL_TO_ALL inputs take rebalance, hash or broadcast.',
    ],
    [
      DistributionPattern.ALL_TO_ALL,
      { type: 'rescale' },
      'ALL_TO_ALL inputs take rebalance, hash or broadcast.',
    ],
  ] as const)('reports a %s input with the %o partitioner', (pattern, partitioner, hint) => {
    const a = vertex('a');
    const b = vertex('b');
    b.connectNewDataSetAsInput(a, pattern, ResultPartitionType.PIPELINED, partitioner);
    expect(validateJobGraph(graphOf(a, b))).toEqual([
      `Vertex 'b' uses the '${partitioner.type}' partitioner on a ${pattern} input; ${hint}`,
    ]);
  });

  it('lists every problem at once, and checkJobGraph throws them all', () => {
    const bare = new JobVertex('bare');
    const capped = vertex('capped', 3);
    capped.setMaxParallelism(2);
    capped.connectNewDataSetAsInput(bare, DistributionPattern.ALL_TO_ALL, ResultPartitionType.PIPELINED, {
      type: 'forward',
    });
    const jobGraph = graphOf(bare, capped);
    const problems = validateJobGraph(jobGraph);
    expect(problems).toHaveLength(3);
    try {
      checkJobGraph(jobGraph);
      expect.unreachable('checkJobGraph should throw');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidJobGraphError);
      const invalid = error as InvalidJobGraphError;
      expect(invalid.name).toBe('InvalidJobGraphError');
      expect(invalid.problems).toEqual(problems);
      expect(invalid.message).toBe(`Invalid job graph: ${problems.join(' ')}`);
    }
  });
});

describe('partitionerFitsPattern', () => {
  it('fits forward and rescale to POINTWISE, the rest to ALL_TO_ALL', () => {
    const all: PartitionerSpec[] = [
      { type: 'forward' },
      { type: 'rescale' },
      { type: 'rebalance' },
      { type: 'broadcast' },
      { type: 'hash', keyField: 'k' },
    ];
    expect(all.filter((p) => partitionerFitsPattern(p, 'POINTWISE')).map((p) => p.type)).toEqual([
      'forward',
      'rescale',
    ]);
    expect(all.filter((p) => partitionerFitsPattern(p, 'ALL_TO_ALL')).map((p) => p.type)).toEqual([
      'rebalance',
      'broadcast',
      'hash',
    ]);
  });
});

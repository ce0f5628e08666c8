import { Configuration } from '../core/configuration.js';
import type { ConfigValue } from '../core/configuration.js';
import { IntermediateDataSetID, JobID, JobVertexID, OperatorID } from '../core/ids.js';
import { MemorySize } from '../core/memory-size.js';
import { ResourceProfile } from '../core/resource-profile.js';
import type { ResourceProfileJson } from '../core/resource-profile.js';
import { JobCheckpointingSettings } from './checkpointing-settings.js';
import type { JobCheckpointingSettingsJson } from './checkpointing-settings.js';
import {
  DistributionPattern,
  JobType,
  MAX_PARALLELISM_DEFAULT,
  PARALLELISM_DEFAULT,
  ResultPartitionType,
} from './enums.js';
import { JobGraph } from './job-graph.js';
import { InvalidJobGraphError } from './job-graph-validator.js';
import { DEFAULT_SLOT_SHARING_GROUP, JobVertex, defaultPartitioner } from './job-vertex.js';
import type { IntermediateDataSet } from './job-vertex.js';
import { PARTITIONER_TYPES } from './partitioner-spec.js';
import { SavepointRestoreSettings } from './savepoint-restore-settings.js';
import type { RestoreClaimMode, SavepointRestoreSettingsJson } from './savepoint-restore-settings.js';
import type { PartitionerSpec } from './partitioner-spec.js';

/** One input of a vertex in the JSON form. */
export interface JobEdgeJson {
  /** The producing vertex: its `id`, or its `name` when that is unique. */
  readonly source: string;
  /** The data set to consume; a new one is created on the producer when absent or unknown. */
  readonly dataSetId?: string;
  readonly distributionPattern: DistributionPattern;
  /** Default PIPELINED. */
  readonly resultPartitionType?: ResultPartitionType;
  /** Default forward (POINTWISE) or rebalance (ALL_TO_ALL). */
  readonly partitioner?: PartitionerSpec;
}

export interface IntermediateDataSetJson {
  readonly id: string;
  readonly resultPartitionType: ResultPartitionType;
}

export interface JobVertexJson {
  /** 32 hex characters; generated when absent. */
  readonly id?: string;
  readonly name: string;
  /** Default: the job's `parallelism.default`. */
  readonly parallelism?: number;
  /** Default: derived from the parallelism (Flink's rule). */
  readonly maxParallelism?: number;
  /** The registered name of the invokable (for example `eddy.collect-sink`). */
  readonly invokable: string;
  readonly configuration?: Record<string, ConfigValue>;
  readonly slotSharingGroup?: string;
  /** The resources each subtask needs; default: any slot fits (ResourceProfile.ANY). */
  readonly resources?: ResourceProfileJson;
  /** The operators the vertex runs, head first; default: one operator whose ID is the vertex ID. */
  readonly operators?: readonly { readonly operatorId: string; readonly uid?: string }[];
  /** The results this vertex produces, in output order (written by toJson; optional by hand). */
  readonly producedDataSets?: readonly IntermediateDataSetJson[];
  readonly inputs?: readonly JobEdgeJson[];
}

/** The JSON form of a JobGraph: what REST takes and the Dispatcher stores. Round-trips. */
export interface JobGraphJson {
  readonly jid?: string;
  readonly name: string;
  /** Default STREAMING. */
  readonly type?: JobType;
  readonly configuration?: Record<string, ConfigValue>;
  readonly checkpointing?: JobCheckpointingSettingsJson | null;
  /** The snapshot to start from. */
  readonly savepointRestore?: SavepointRestoreSettingsJson | null;
  readonly vertices: readonly JobVertexJson[];
}

export function jobGraphToJson(jobGraph: JobGraph): JobGraphJson {
  const settings = jobGraph.getCheckpointingSettings();
  return {
    jid: jobGraph.getJobID(),
    name: jobGraph.getName(),
    type: jobGraph.getJobType(),
    configuration: jobGraph.getJobConfiguration().toMap(),
    checkpointing: settings === undefined ? null : settings.toJson(),
    savepointRestore: jobGraph.getSavepointRestoreSettings().toJson(),
    vertices: jobGraph.getVerticesAsArray().map((vertex) => ({
      id: vertex.getID(),
      name: vertex.getName(),
      parallelism: vertex.getParallelism(),
      maxParallelism: vertex.getMaxParallelism(),
      invokable: vertex.getInvokableClassName() ?? '',
      configuration: vertex.getConfiguration().toMap(),
      slotSharingGroup: vertex.getSlotSharingGroup(),
      ...(vertex.getMinResources().isUnknown() ? {} : { resources: vertex.getMinResources().toJson() }),
      ...(vertex.hasExplicitOperatorIDs() ? { operators: vertex.getOperatorIDs() } : {}),
      producedDataSets: vertex
        .getProducedDataSets()
        .map((dataSet) => ({ id: dataSet.getId(), resultPartitionType: dataSet.getResultType() })),
      inputs: vertex.getInputs().map((edge) => ({
        source: edge.getSource().getProducer().getID(),
        dataSetId: edge.getSource().getId(),
        distributionPattern: edge.getDistributionPattern(),
        resultPartitionType: edge.getSource().getResultType(),
        partitioner: edge.getPartitioner(),
      })),
    })),
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const HEX32 = /^[0-9a-fA-F]{32}$/;

/**
 * Builds a JobGraph from its JSON form. Checks the shape of every field and throws
 * InvalidJobGraphError listing each problem with its path (`vertices[1].inputs[0].source: …`).
 * Semantic checks (cycles, parallelism, invokables) are `validateJobGraph`'s.
 */
export function jobGraphFromJson(input: unknown): JobGraph {
  const problems: string[] = [];
  const fail = (path: string, message: string) => {
    problems.push(`${path}: ${message}`);
  };
  if (!isRecord(input)) throw new InvalidJobGraphError(['The job graph must be a JSON object.']);

  const name = input.name;
  if (typeof name !== 'string' || name.length === 0) fail('name', 'must be a non-empty string.');
  const jid = input.jid;
  if (jid !== undefined && jid !== null && (typeof jid !== 'string' || !HEX32.test(jid))) {
    fail('jid', 'must be 32 hexadecimal characters.');
  }
  const type = input.type;
  if (type !== undefined && !Object.values(JobType).includes(type as JobType))
    fail('type', 'must be BATCH or STREAMING.');
  const configuration = readConfiguration(input.configuration, 'configuration', fail);
  if (!Array.isArray(input.vertices)) {
    fail('vertices', 'must be an array of vertices.');
    throw new InvalidJobGraphError(problems);
  }
  const vertexJsons: unknown[] = input.vertices;

  const jobGraph = new JobGraph(
    typeof jid === 'string' && HEX32.test(jid) ? JobID.fromHexString(jid) : undefined,
    String(name),
  );
  if (type !== undefined && Object.values(JobType).includes(type as JobType))
    jobGraph.setJobType(type as JobType);
  if (configuration !== undefined) jobGraph.setJobConfiguration(configuration);

  // First pass: the vertices and the data sets they declare.
  const vertices: (JobVertex | undefined)[] = [];
  const byName = new Map<string, JobVertex[]>();
  const dataSets = new Map<string, IntermediateDataSet>();
  vertexJsons.forEach((raw, index) => {
    const path = `vertices[${index}]`;
    vertices.push(undefined);
    if (!isRecord(raw)) {
      fail(path, 'must be an object.');
      return;
    }
    if (typeof raw.name !== 'string' || raw.name.length === 0)
      fail(`${path}.name`, 'must be a non-empty string.');
    if (raw.id !== undefined && (typeof raw.id !== 'string' || !HEX32.test(raw.id))) {
      fail(`${path}.id`, 'must be 32 hexadecimal characters.');
      return;
    }
    const id = typeof raw.id === 'string' ? JobVertexID.fromHexString(raw.id) : JobVertexID.generate();
    if (jobGraph.findVertexByID(id) !== undefined) {
      fail(`${path}.id`, `duplicates the vertex ID ${id}.`);
      return;
    }
    const vertex = new JobVertex(String(raw.name), id);
    if (raw.parallelism !== undefined) {
      if (
        !Number.isInteger(raw.parallelism) ||
        ((raw.parallelism as number) < 1 && raw.parallelism !== PARALLELISM_DEFAULT)
      ) {
        fail(`${path}.parallelism`, `must be a whole number >= 1, got ${JSON.stringify(raw.parallelism)}.`);
      } else vertex.setParallelism(raw.parallelism as number);
    }
    if (raw.maxParallelism !== undefined && raw.maxParallelism !== MAX_PARALLELISM_DEFAULT) {
      try {
        vertex.setMaxParallelism(raw.maxParallelism as number);
      } catch (error) {
        fail(`${path}.maxParallelism`, (error as Error).message);
      }
    }
    if (typeof raw.invokable !== 'string' || raw.invokable.length === 0) {
      fail(`${path}.invokable`, 'must name a registered invokable.');
    } else vertex.setInvokableClassName(raw.invokable);
    const vertexConfiguration = readConfiguration(raw.configuration, `${path}.configuration`, fail);
    if (vertexConfiguration !== undefined) vertex.getConfiguration().addAll(vertexConfiguration);
    if (raw.slotSharingGroup !== undefined) {
      if (typeof raw.slotSharingGroup !== 'string' || raw.slotSharingGroup.length === 0) {
        fail(`${path}.slotSharingGroup`, 'must be a non-empty string.');
      } else vertex.setSlotSharingGroup(raw.slotSharingGroup);
    } else vertex.setSlotSharingGroup(DEFAULT_SLOT_SHARING_GROUP);
    if (raw.operators !== undefined) {
      const operators = readOperators(raw.operators, `${path}.operators`, fail);
      if (operators !== undefined) vertex.setOperatorIDs(operators);
    }
    if (raw.resources !== undefined) {
      const resources = readResources(raw.resources, `${path}.resources`, fail);
      if (resources !== undefined) vertex.setResources(resources);
    }
    if (raw.producedDataSets !== undefined) {
      if (!Array.isArray(raw.producedDataSets)) fail(`${path}.producedDataSets`, 'must be an array.');
      else {
        (raw.producedDataSets as unknown[]).forEach((ds, dsIndex) => {
          const dsPath = `${path}.producedDataSets[${dsIndex}]`;
          if (!isRecord(ds) || typeof ds.id !== 'string' || !HEX32.test(ds.id)) {
            fail(`${dsPath}.id`, 'must be 32 hexadecimal characters.');
            return;
          }
          if (dataSets.has(ds.id.toLowerCase())) {
            fail(`${dsPath}.id`, `duplicates the data set ID ${ds.id}.`);
            return;
          }
          const resultType = readEnum(
            ds.resultPartitionType,
            ResultPartitionType,
            `${dsPath}.resultPartitionType`,
            fail,
          );
          if (resultType === undefined) return;
          const dataSetId = IntermediateDataSetID.fromHexString(ds.id);
          dataSets.set(dataSetId, vertex.createAndAddResultDataSet(dataSetId, resultType));
        });
      }
    }
    vertices[index] = vertex;
    jobGraph.addVertex(vertex);
    const sameName = byName.get(vertex.getName()) ?? [];
    sameName.push(vertex);
    byName.set(vertex.getName(), sameName);
  });

  // Second pass: the edges.
  vertexJsons.forEach((raw, index) => {
    const vertex = vertices[index];
    if (vertex === undefined || !isRecord(raw) || raw.inputs === undefined) return;
    const path = `vertices[${index}].inputs`;
    if (!Array.isArray(raw.inputs)) {
      fail(path, 'must be an array.');
      return;
    }
    (raw.inputs as unknown[]).forEach((edge, edgeIndex) => {
      const edgePath = `${path}[${edgeIndex}]`;
      if (!isRecord(edge)) {
        fail(edgePath, 'must be an object.');
        return;
      }
      const source =
        typeof edge.source === 'string' ? resolveSource(edge.source, jobGraph, byName) : undefined;
      if (source === undefined) {
        fail(
          `${edgePath}.source`,
          `must name a vertex of this graph by id or unique name, got ${JSON.stringify(edge.source)}.`,
        );
        return;
      }
      const pattern = readEnum(
        edge.distributionPattern,
        DistributionPattern,
        `${edgePath}.distributionPattern`,
        fail,
      );
      const resultType =
        edge.resultPartitionType === undefined
          ? ResultPartitionType.PIPELINED
          : readEnum(edge.resultPartitionType, ResultPartitionType, `${edgePath}.resultPartitionType`, fail);
      const partitioner =
        edge.partitioner === undefined
          ? pattern !== undefined
            ? defaultPartitioner(pattern)
            : undefined
          : readPartitioner(edge.partitioner, `${edgePath}.partitioner`, fail);
      if (pattern === undefined || resultType === undefined || partitioner === undefined) return;
      if (
        edge.dataSetId !== undefined &&
        (typeof edge.dataSetId !== 'string' || !HEX32.test(edge.dataSetId))
      ) {
        fail(`${edgePath}.dataSetId`, 'must be 32 hexadecimal characters.');
        return;
      }
      const declared =
        typeof edge.dataSetId === 'string' ? dataSets.get(edge.dataSetId.toLowerCase()) : undefined;
      if (declared !== undefined) {
        if (declared.getProducer() !== source) {
          fail(
            `${edgePath}.dataSetId`,
            `belongs to '${declared.getProducer().getName()}', not to the source.`,
          );
          return;
        }
        if (declared.getResultType() !== resultType && edge.resultPartitionType !== undefined) {
          fail(`${edgePath}.resultPartitionType`, `differs from the data set's ${declared.getResultType()}.`);
          return;
        }
        if (declared.getConsumers().length > 0) {
          fail(`${edgePath}.dataSetId`, 'is already consumed by another input.');
          return;
        }
        vertex.connectDataSetAsInput(declared, pattern, partitioner);
      } else {
        const dataSetId =
          typeof edge.dataSetId === 'string'
            ? IntermediateDataSetID.fromHexString(edge.dataSetId)
            : IntermediateDataSetID.generate();
        const created = vertex.connectNewDataSetAsInput(source, pattern, resultType, partitioner, dataSetId);
        dataSets.set(dataSetId, created.getSource());
      }
    });
  });

  if (input.checkpointing !== undefined && input.checkpointing !== null) {
    try {
      jobGraph.setSnapshotSettings(
        JobCheckpointingSettings.fromJson(input.checkpointing as JobCheckpointingSettingsJson),
      );
    } catch (error) {
      fail('checkpointing', (error as Error).message);
    }
  }
  const restore = input.savepointRestore;
  if (restore !== undefined && restore !== null) {
    if (!isRecord(restore) || typeof restore.path !== 'string') {
      fail('savepointRestore.path', 'must be the path of a savepoint or retained checkpoint.');
    } else {
      try {
        jobGraph.setSavepointRestoreSettings(
          SavepointRestoreSettings.forPath(
            restore.path,
            restore.allowNonRestoredState === true,
            (restore.claimMode ?? 'NO_CLAIM') as RestoreClaimMode,
          ),
        );
      } catch (error) {
        fail('savepointRestore', (error as Error).message);
      }
    }
  }
  if (problems.length > 0) throw new InvalidJobGraphError(problems);
  return jobGraph;
}

function resolveSource(
  reference: string,
  jobGraph: JobGraph,
  byName: Map<string, JobVertex[]>,
): JobVertex | undefined {
  if (HEX32.test(reference)) {
    const byId = jobGraph.findVertexByID(JobVertexID.fromHexString(reference));
    if (byId !== undefined) return byId;
  }
  const named = byName.get(reference);
  return named?.length === 1 ? named[0] : undefined;
}

function readEnum<T extends string>(
  value: unknown,
  values: Record<string, T>,
  path: string,
  fail: (path: string, message: string) => void,
): T | undefined {
  const allowed = Object.values(values);
  if (typeof value === 'string' && allowed.includes(value as T)) return value as T;
  fail(path, `must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}.`);
  return undefined;
}

function readPartitioner(
  value: unknown,
  path: string,
  fail: (path: string, message: string) => void,
): PartitionerSpec | undefined {
  if (!isRecord(value) || !PARTITIONER_TYPES.includes(value.type as PartitionerSpec['type'])) {
    fail(`${path}.type`, `must be one of ${PARTITIONER_TYPES.join(', ')}.`);
    return undefined;
  }
  if (value.type === 'hash') {
    const keyField = value.keyField;
    if (
      keyField !== undefined &&
      typeof keyField !== 'string' &&
      !(Number.isInteger(keyField) && (keyField as number) >= 0)
    ) {
      fail(`${path}.keyField`, 'must be a field name or an index >= 0.');
      return undefined;
    }
    return keyField === undefined
      ? { type: 'hash' }
      : { type: 'hash', keyField: keyField as string | number };
  }
  return { type: value.type as Exclude<PartitionerSpec['type'], 'hash'> };
}

const MEMORY_FIELDS = ['taskHeapMemory', 'taskOffHeapMemory', 'managedMemory', 'networkMemory'] as const;

function readResources(
  value: unknown,
  path: string,
  fail: (path: string, message: string) => void,
): ResourceProfile | undefined {
  if (!isRecord(value)) {
    fail(path, 'must be an object.');
    return undefined;
  }
  if (value.unknown === true) return ResourceProfile.ANY;
  let valid = true;
  const cpuCores = value.cpuCores;
  if (typeof cpuCores !== 'number' || !Number.isFinite(cpuCores) || cpuCores < 0) {
    fail(`${path}.cpuCores`, 'must be a number >= 0.');
    valid = false;
  }
  const [heap = MemorySize.ZERO, offHeap, managed, network] = MEMORY_FIELDS.map((field) => {
    const bytes = value[field] ?? 0;
    if (typeof bytes === 'number' && Number.isSafeInteger(bytes) && bytes >= 0)
      return MemorySize.ofBytes(bytes);
    fail(`${path}.${field}`, 'must be a whole number of bytes >= 0.');
    valid = false;
    return MemorySize.ZERO;
  });
  return valid
    ? ResourceProfile.fromResources(cpuCores as number, heap, offHeap, managed, network)
    : undefined;
}

function readConfiguration(
  value: unknown,
  path: string,
  fail: (path: string, message: string) => void,
): Configuration | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) {
    fail(path, 'must be an object of keys to values.');
    return undefined;
  }
  const configuration = new Configuration();
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry === 'string' || typeof entry === 'number' || typeof entry === 'boolean')
      configuration.setValue(key, entry);
    else fail(`${path}.${key}`, 'must be a string, number or boolean.');
  }
  return configuration;
}

function readOperators(
  value: unknown,
  path: string,
  fail: (path: string, message: string) => void,
): { operatorId: OperatorID; uid?: string }[] | undefined {
  if (!Array.isArray(value) || value.length === 0) {
    fail(path, 'must be a non-empty array of {operatorId, uid?}.');
    return undefined;
  }
  const operators: { operatorId: OperatorID; uid?: string }[] = [];
  for (const [index, entry] of (value as unknown[]).entries()) {
    if (!isRecord(entry) || typeof entry.operatorId !== 'string' || !HEX32.test(entry.operatorId)) {
      fail(`${path}[${index}].operatorId`, 'must be 32 hexadecimal characters.');
      return undefined;
    }
    if (entry.uid !== undefined && typeof entry.uid !== 'string') {
      fail(`${path}[${index}].uid`, 'must be a string.');
      return undefined;
    }
    operators.push({
      operatorId: OperatorID.fromHexString(entry.operatorId),
      ...(typeof entry.uid === 'string' ? { uid: entry.uid } : {}),
    });
  }
  return operators;
}

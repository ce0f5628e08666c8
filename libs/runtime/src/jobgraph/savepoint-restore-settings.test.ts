import { describe, expect, it } from 'vitest';

import { OperatorID } from '../core/ids.js';
import { DistributionPattern, ResultPartitionType } from './enums.js';
import { JobGraph } from './job-graph.js';
import { jobGraphFromJson, jobGraphToJson } from './job-graph-json.js';
import { JobVertex } from './job-vertex.js';
import { SavepointRestoreSettings } from './savepoint-restore-settings.js';

describe('SavepointRestoreSettings', () => {
  it('defaults to none, NO_CLAIM and not allowing non-restored state', () => {
    expect(SavepointRestoreSettings.none().restoreSavepoint()).toBe(false);
    const settings = SavepointRestoreSettings.forPath('/savepoints/sp-1');
    expect(settings.restoreSavepoint()).toBe(true);
    expect(settings.getRecoveryClaimMode()).toBe('NO_CLAIM');
    expect(settings.allowNonRestoredState()).toBe(false);
  });

  it('rejects an empty path and an unknown claim mode', () => {
    expect(() => SavepointRestoreSettings.forPath(' ')).toThrow(/must not be empty/);
    expect(() => SavepointRestoreSettings.forPath('/x', false, 'KEEP' as never)).toThrow(
      /Unknown claim mode 'KEEP'/,
    );
  });

  it('travels with the job graph JSON, as do operator IDs', () => {
    const graph = new JobGraph('restore');
    const source = new JobVertex('Source');
    source.setInvokableClassName('eddy.sequence-source');
    source.setOperatorIDs([{ operatorId: OperatorID.fromUid('src'), uid: 'src' }]);
    const sink = new JobVertex('Sink');
    sink.setInvokableClassName('eddy.discard-sink');
    sink.connectNewDataSetAsInput(source, DistributionPattern.POINTWISE, ResultPartitionType.PIPELINED);
    graph.addVertex(source);
    graph.addVertex(sink);
    graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath('/sp/savepoint-1', true, 'CLAIM'));

    const copy = jobGraphFromJson(JSON.parse(JSON.stringify(jobGraphToJson(graph))));
    expect(copy.getSavepointRestoreSettings().toJson()).toEqual({
      path: '/sp/savepoint-1',
      allowNonRestoredState: true,
      claimMode: 'CLAIM',
    });
    expect(copy.findVertexByID(source.getID())?.getOperatorIDs()).toEqual([
      { operatorId: OperatorID.fromUid('src'), uid: 'src' },
    ]);
    expect(copy.findVertexByID(sink.getID())?.getOperatorIDs()).toEqual([{ operatorId: sink.getID() }]);
    expect(() => jobGraphFromJson({ ...jobGraphToJson(graph), savepointRestore: { path: 3 } })).toThrow(
      /savepointRestore.path/,
    );
  });
});

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type EventEntry, SnapshotMailbox } from '../../src/tui/index.js';
import { snapshot } from './components.helpers.js';

const e = (seq: number): EventEntry => ({ seq, t: seq, kind: 'info', message: `note ${seq}` });

test('snapshots carry only new event-log entries: the mailbox appends them and keeps the newest', () => {
  const box = new SnapshotMailbox(snapshot({ events: [e(1), e(2)], version: 1 }), 4);
  const v0 = box.version;
  box.put(snapshot({ events: [e(3)], version: 2 }));
  assert.ok(box.version > v0, 'a put is a new version');
  assert.equal(
    box.snapshot().events.map((x) => x.seq),
    [1, 2, 3],
  );
  box.put(snapshot({ events: [], version: 3 }));
  assert.equal(
    box.snapshot().events.map((x) => x.seq),
    [1, 2, 3],
    'no new entries: the log stays',
  );
  // A repeated entry (the final snapshot may overlap) is not appended twice; beyond 4 the oldest go.
  box.put(snapshot({ events: [e(3), e(4), e(5)], version: 4 }));
  assert.equal(
    box.snapshot().events.map((x) => x.seq),
    [2, 3, 4, 5],
  );
  assert.is(box.snapshot().version, 4, 'the rest of the snapshot is the latest one');
});

test('console output waits for a writer, then goes straight to it', () => {
  const box = new SnapshotMailbox(snapshot());
  const got: string[] = [];
  box.write('stdout', 'a\n');
  box.write('stderr', 'b\n');
  assert.equal(got, []);
  box.setWriter((stream, text) => got.push(`${stream}:${text}`));
  assert.equal(got, ['stdout:a\n', 'stderr:b\n']);
  box.write('stdout', 'c\n');
  box.setWriter(null);
  box.write('stdout', 'd\n');
  assert.equal(got, ['stdout:a\n', 'stderr:b\n', 'stdout:c\n']);
});

test.run();

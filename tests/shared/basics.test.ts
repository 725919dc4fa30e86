// The basic types are stored and sent as they are (SQLite rows, cached comparisons, the engine
// protocol, IPC, CLI flags), so their schemas accept exactly the values they always did.
import { describe, expect, it } from 'vitest';
import { migrations } from '../../src/main/store/migrations.ts';
import {
  BACKEND_NAMES,
  BackendName,
  DIRECTIONS,
  Direction,
  RunId,
  Step,
  StepOrLatest,
} from '../../src/shared/basics.ts';

describe('Direction', () => {
  it('accepts exactly AtoB and BtoA', () => {
    expect(Direction.options).toEqual(['AtoB', 'BtoA']);
    expect(DIRECTIONS).toEqual(['AtoB', 'BtoA']);
    for (const d of DIRECTIONS) expect(Direction.parse(d)).toBe(d);
    for (const other of ['atob', 'AToB', 'BToA', 'a2b', 'b2a', 'A', 'B', 'AtoA', '', null, 0])
      expect(Direction.safeParse(other).success).toBe(false);
  });

  it('is what the conversions table allows', () => {
    const check = migrations.join('\n').match(/direction\s+TEXT NOT NULL CHECK \(direction IN \(([^)]*)\)\)/);
    expect(check?.[1]?.split(',').map((v) => v.trim().replace(/'/g, ''))).toEqual([...DIRECTIONS]);
  });
});

describe('BackendName', () => {
  it('names the five backends, in the order the engine tries them', () => {
    expect(BackendName.options).toEqual(['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu']);
    expect(BACKEND_NAMES).toEqual(BackendName.options);
    expect(BackendName.safeParse('webgl').success).toBe(false);
  });
});

describe('RunId, Step, StepOrLatest', () => {
  it('keeps run ids to 1–64 URL- and folder-safe characters', () => {
    expect(RunId.safeParse('20250101-abc_DEF').success).toBe(true);
    expect(RunId.safeParse('x'.repeat(64)).success).toBe(true);
    for (const bad of ['', 'x'.repeat(65), '../up', 'a b', 'a/b', 'a.b'])
      expect(RunId.safeParse(bad).success).toBe(false);
  });

  it('takes a step as a whole number ≥ 0, or latest where a checkpoint is meant', () => {
    expect(Step.safeParse(0).success).toBe(true);
    expect(Step.safeParse(Number.MAX_SAFE_INTEGER).success).toBe(true);
    for (const bad of [-1, 1.5, Number.MAX_SAFE_INTEGER + 1, 'latest', '3'])
      expect(Step.safeParse(bad).success).toBe(false);
    expect(StepOrLatest.parse('latest')).toBe('latest');
    expect(StepOrLatest.parse(42)).toBe(42);
    expect(StepOrLatest.safeParse('newest').success).toBe(false);
  });
});

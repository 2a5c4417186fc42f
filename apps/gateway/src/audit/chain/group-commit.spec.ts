import { GroupCommit } from './group-commit';

/** A writer whose writes finish only when the test says so. */
function gatedWriter() {
  const writes: { items: string[]; finish(fail?: boolean): void; handOver(): void }[] = [];
  const write = (items: string[], handedOver: () => void) =>
    new Promise<string[]>((resolve, reject) => {
      writes.push({
        items,
        finish: (fail) => (fail ? reject(new Error(`bad ${items.join()}`)) : resolve(items.map((i) => `ok:${i}`))),
        handOver: handedOver,
      });
    });
  return { writes, write };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('GroupCommit', () => {
  it('writes at once when idle, then everything that queued meanwhile in one write, each caller getting its own results', async () => {
    const { writes, write } = gatedWriter();
    const group = new GroupCommit(write);
    const first = group.submit('chain', ['a']);
    await tick();
    expect(writes.map((w) => w.items)).toEqual([['a']]);
    const second = group.submit('chain', ['b', 'c']);
    const third = group.submit('chain', ['d']);
    const otherChain = group.submit('other', ['x']);
    await tick();
    expect(writes.map((w) => w.items)).toEqual([['a'], ['x']]);
    writes[0].finish();
    await expect(first).resolves.toEqual(['ok:a']);
    await tick();
    expect(writes.map((w) => w.items)).toEqual([['a'], ['x'], ['b', 'c', 'd']]);
    writes[2].finish();
    writes[1].finish();
    await expect(second).resolves.toEqual(['ok:b', 'ok:c']);
    await expect(third).resolves.toEqual(['ok:d']);
    await expect(otherChain).resolves.toEqual(['ok:x']);
  });

  it('retries a failed batch one submission at a time, so only the bad one fails', async () => {
    const { writes, write } = gatedWriter();
    const group = new GroupCommit(write);
    const first = group.submit('chain', ['a']);
    const good = group.submit('chain', ['g']);
    const bad = group.submit('chain', ['bad']);
    await tick();
    writes[0].finish();
    await first;
    await tick();
    writes[1].finish(true);
    await tick();
    expect(writes.slice(2).map((w) => w.items)).toEqual([['g']]);
    writes[2].finish();
    await expect(good).resolves.toEqual(['ok:g']);
    await tick();
    writes[3].finish(true);
    await expect(bad).rejects.toThrow('bad bad');
  });

  it("tells each submitter when its own batch has been handed over, not when an earlier one was", async () => {
    const { writes, write } = gatedWriter();
    const group = new GroupCommit(write);
    const handedOver: string[] = [];
    const first = group.submit('chain', ['a'], () => handedOver.push('a'));
    const second = group.submit('chain', ['b'], () => handedOver.push('b'));
    const third = group.submit('chain', ['c']);
    await tick();
    writes[0].handOver();
    expect(handedOver).toEqual(['a']);
    writes[0].finish();
    await first;
    await tick();
    expect(writes[1].items).toEqual(['b', 'c']);
    expect(handedOver).toEqual(['a']);
    writes[1].handOver();
    expect(handedOver).toEqual(['a', 'b']);
    writes[1].finish();
    await expect(second).resolves.toEqual(['ok:b']);
    await expect(third).resolves.toEqual(['ok:c']);
  });

  it('caps a batch at 256 records', async () => {
    const { writes, write } = gatedWriter();
    const group = new GroupCommit(write);
    const all = [group.submit('c', ['first'])];
    for (let i = 0; i < 300; i++) all.push(group.submit('c', [String(i)]));
    for (let round = 0; round < 3; round++) {
      await tick();
      writes[round].finish();
    }
    await Promise.all(all);
    expect(writes.map((w) => w.items.length)).toEqual([1, 256, 44]);
  });

  it('writes one submission larger than the cap whole, in one write', async () => {
    const { writes, write } = gatedWriter();
    const group = new GroupCommit(write);
    const items = Array.from({ length: 300 }, (_, i) => String(i));
    const big = group.submit('c', items);
    await tick();
    expect(writes.map((w) => w.items.length)).toEqual([300]);
    writes[0].finish();
    await expect(big).resolves.toHaveLength(300);
  });
});

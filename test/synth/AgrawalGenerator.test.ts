import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AgrawalGenerator, generatorFromJSON } from '../../src/synth/index.js';
import { cats, nums, snapshot } from './util.js';

type Applicant = { salary: number; commission: number; age: number; elevel: number; hvalue: number; hyears: number; loan: number };
const base: Applicant = { salary: 60000, commission: 20000, age: 30, elevel: 0, hvalue: 500000, hyears: 10, loan: 250000 };
const cls = (fn: number, change: Partial<Applicant>) => AgrawalGenerator.classify(fn, { ...base, ...change });

// Each expectation below is worked out by hand from Agrawal et al. (1993), page 924 (0 = group A).
test('function 1: group A is age < 40 or age ≥ 60', () => {
  assert.equal(
    [39, 40, 59, 60, 20, 80].map((age) => cls(1, { age })),
    [0, 1, 1, 0, 0, 0],
  );
});

test('function 2: salary bands by age', () => {
  assert.equal(
    [50000, 100000, 49999, 100001].map((salary) => cls(2, { age: 30, salary })),
    [0, 0, 1, 1],
  );
  assert.equal(
    [75000, 125000, 125001, 60000].map((salary) => cls(2, { age: 45, salary })),
    [0, 0, 1, 1],
  );
  assert.equal(
    [25000, 75000, 80000].map((salary) => cls(2, { age: 65, salary })),
    [0, 0, 1],
  );
});

test('function 3: education level by age', () => {
  assert.equal(
    [0, 1, 2, 4].map((elevel) => cls(3, { age: 30, elevel })),
    [0, 0, 1, 1],
  );
  assert.equal(
    [1, 3, 0, 4].map((elevel) => cls(3, { age: 50, elevel })),
    [0, 0, 1, 1],
  );
  assert.equal(
    [2, 4, 1].map((elevel) => cls(3, { age: 70, elevel })),
    [0, 0, 1],
  );
});

test('function 4: salary bands by age and education', () => {
  assert.equal([cls(4, { age: 30, elevel: 0, salary: 30000 }), cls(4, { age: 30, elevel: 0, salary: 80000 })], [0, 1]);
  assert.equal([cls(4, { age: 30, elevel: 3, salary: 80000 }), cls(4, { age: 30, elevel: 3, salary: 30000 })], [0, 1]);
  assert.equal([cls(4, { age: 50, elevel: 2, salary: 60000 }), cls(4, { age: 50, elevel: 2, salary: 110000 })], [0, 1]);
  assert.equal([cls(4, { age: 50, elevel: 4, salary: 110000 }), cls(4, { age: 50, elevel: 4, salary: 60000 })], [0, 1]);
  assert.equal([cls(4, { age: 70, elevel: 3, salary: 60000 }), cls(4, { age: 70, elevel: 3, salary: 110000 })], [0, 1]);
  assert.equal([cls(4, { age: 70, elevel: 0, salary: 60000 }), cls(4, { age: 70, elevel: 0, salary: 90000 })], [0, 1]);
});

test('function 5: loan bands by age and salary', () => {
  assert.equal([cls(5, { age: 30, salary: 60000, loan: 150000 }), cls(5, { age: 30, salary: 60000, loan: 350000 })], [0, 1]);
  assert.equal([cls(5, { age: 30, salary: 120000, loan: 350000 }), cls(5, { age: 30, salary: 120000, loan: 150000 })], [0, 1]);
  assert.equal([cls(5, { age: 50, salary: 100000, loan: 250000 }), cls(5, { age: 50, salary: 100000, loan: 450000 })], [0, 1]);
  assert.equal([cls(5, { age: 50, salary: 50000, loan: 450000 }), cls(5, { age: 50, salary: 50000, loan: 250000 })], [0, 1]);
  assert.equal([cls(5, { age: 70, salary: 50000, loan: 450000 }), cls(5, { age: 70, salary: 50000, loan: 150000 })], [0, 1]);
  assert.equal([cls(5, { age: 70, salary: 90000, loan: 150000 }), cls(5, { age: 70, salary: 90000, loan: 450000 })], [0, 1]);
});

test('function 6: salary + commission bands by age', () => {
  assert.equal([cls(6, { age: 30, salary: 40000, commission: 20000 }), cls(6, { age: 30, salary: 40000, commission: 70000 })], [0, 1]);
  assert.equal([cls(6, { age: 50, salary: 40000, commission: 40000 }), cls(6, { age: 50, salary: 30000, commission: 10000 })], [0, 1]);
  assert.equal([cls(6, { age: 70, salary: 30000, commission: 10000 }), cls(6, { age: 70, salary: 60000, commission: 30000 })], [0, 1]);
});

test('function 7: disposable = ⅔(salary + commission) − loan/5 − 20000 > 0', () => {
  // ⅔ · 90000 = 60000; loans 150k, 200k (exactly 0: not > 0), 250k.
  assert.equal(
    [150000, 200000, 250000].map((loan) => cls(7, { salary: 60000, commission: 30000, loan })),
    [0, 1, 1],
  );
});

test('function 8: disposable = ⅔(salary + commission) − 5000·elevel − 20000 > 0', () => {
  // ⅔ · 45000 = 30000.
  assert.equal(
    [0, 1, 2, 4].map((elevel) => cls(8, { salary: 30000, commission: 15000, elevel })),
    [0, 0, 1, 1],
  );
});

test('function 9: disposable = ⅔(salary + commission) − 5000·elevel − loan/5 − 10000 > 0', () => {
  // 60000 − 10000 − loan/5 − 10000.
  assert.equal(
    [150000, 200000, 250000].map((loan) => cls(9, { salary: 60000, commission: 30000, elevel: 2, loan })),
    [0, 1, 1],
  );
});

test('function 10: equity from hyears ≥ 20 raises disposable income', () => {
  // ⅔ · 15000 − 5000 − 10000 = −5000; equity = hvalue·(hyears − 20)/10, a fifth of it counts.
  const row = { salary: 10000, commission: 5000, elevel: 1, hvalue: 100000 };
  assert.equal(
    [10, 20, 25, 22].map((hyears) => cls(10, { ...row, hyears })),
    [1, 1, 0, 1],
  );
  assert.throws(() => AgrawalGenerator.classify(11, base), /1\.\.10/);
});

function expected(fn: number, a: Applicant): number {
  const { salary: s, commission: c, age, elevel: e, hvalue, hyears, loan } = a;
  const band = (lo: number, x: number, hi: number) => (lo <= x && x <= hi ? 0 : 1);
  const young = age < 40,
    mid = age >= 40 && age < 60;
  switch (fn) {
    case 1:
      return young || age >= 60 ? 0 : 1;
    case 2:
      return young ? band(50e3, s, 100e3) : mid ? band(75e3, s, 125e3) : band(25e3, s, 75e3);
    case 3:
      return young ? (e <= 1 ? 0 : 1) : mid ? (e >= 1 && e <= 3 ? 0 : 1) : e >= 2 ? 0 : 1;
    case 4:
      return young
        ? e <= 1
          ? band(25e3, s, 75e3)
          : band(50e3, s, 100e3)
        : mid
          ? e >= 1 && e <= 3
            ? band(50e3, s, 100e3)
            : band(75e3, s, 125e3)
          : e >= 2
            ? band(50e3, s, 100e3)
            : band(25e3, s, 75e3);
    case 5:
      return young
        ? band(50e3, s, 100e3) === 0
          ? band(100e3, loan, 300e3)
          : band(200e3, loan, 400e3)
        : mid
          ? band(75e3, s, 125e3) === 0
            ? band(200e3, loan, 400e3)
            : band(300e3, loan, 500e3)
          : band(25e3, s, 75e3) === 0
            ? band(300e3, loan, 500e3)
            : band(100e3, loan, 300e3);
    case 6:
      return young ? band(50e3, s + c, 100e3) : mid ? band(75e3, s + c, 125e3) : band(25e3, s + c, 75e3);
    case 7:
      return (2 * (s + c)) / 3 - loan / 5 - 20000 > 0 ? 0 : 1;
    case 8:
      return (2 * (s + c)) / 3 - 5000 * e - 20000 > 0 ? 0 : 1;
    case 9:
      return (2 * (s + c)) / 3 - 5000 * e - loan / 5 - 10000 > 0 ? 0 : 1;
    default:
      return (2 * (s + c)) / 3 - 5000 * e + (hyears >= 20 ? (hvalue * (hyears - 20)) / 10 : 0) / 5 - 10000 > 0 ? 0 : 1;
  }
}

function applicants(b: ReturnType<AgrawalGenerator['next']>): Applicant[] {
  const s = nums(b, 'salary'),
    c = nums(b, 'commission'),
    age = nums(b, 'age'),
    e = cats(b, 'elevel'),
    hv = nums(b, 'hvalue'),
    hy = nums(b, 'hyears'),
    loan = nums(b, 'loan');
  return s.map((_, i) => ({ salary: s[i]!, commission: c[i]!, age: age[i]!, elevel: Number(e[i]!.slice(5)), hvalue: hv[i]!, hyears: hy[i]!, loan: loan[i]! }));
}

test('generated rows without perturbation carry the label of each of the ten functions, with MOA ranges', () => {
  for (let fn = 1; fn <= 10; fn++) {
    const b = new AgrawalGenerator({ function: fn, perturbation: 0, seed: 100 + fn }).next(3000);
    const y = nums(b, 'class'),
      car = cats(b, 'car'),
      zip = cats(b, 'zipcode');
    let ones = 0;
    applicants(b).forEach((a, i) => {
      assert.is(y[i], expected(fn, a), `function ${fn}, row ${i}: ${JSON.stringify(a)}`);
      ones += y[i]!;
      assert.ok(a.salary >= 20000 && a.salary < 150000);
      assert.ok(a.salary >= 75000 ? a.commission === 0 : a.commission >= 10000 && a.commission < 75000);
      assert.ok(Number.isInteger(a.age) && a.age >= 20 && a.age <= 80);
      assert.ok(Number.isInteger(a.hyears) && a.hyears >= 1 && a.hyears <= 30);
      assert.ok(a.loan >= 0 && a.loan < 500000);
      const k = 9 - (Number(zip[i]!.slice(7)) - 1);
      assert.ok(a.hvalue >= 0.5 * k * 100000 && a.hvalue < 1.5 * k * 100000, `hvalue ${a.hvalue} for ${zip[i]}`);
      assert.match(car[i]!, /^car([1-9]|1\d|20)$/);
    });
    assert.ok(ones > 0 && ones < b.length, `function ${fn} produced one class only`);
  }
});

test('perturbation moves numeric values within their ranges after labelling', () => {
  const b = new AgrawalGenerator({ function: 2, perturbation: 0.2, seed: 5 }).next(20_000);
  const y = nums(b, 'class');
  let disagree = 0,
    fractional = 0;
  applicants(b).forEach((a, i) => {
    if (y[i] !== expected(2, a)) disagree++;
    if (!Number.isInteger(a.age) || a.age < 20 || a.age > 80) assert.unreachable(`age ${a.age}`);
    assert.ok(a.salary >= 20000 && a.salary <= 150000 && a.loan >= 0 && a.loan <= 500000);
    if (a.salary % 1 !== 0) fractional++;
  });
  // Labels come from the unperturbed salary and age: a band edge moved by up to ±26k salary or
  // ±12 years flips some rows, but most keep their label.
  assert.ok(disagree > 0.02 * b.length && disagree < 0.4 * b.length, `disagree ${disagree / b.length}`);
  assert.ok(fractional > 0);
});

test('class balancing alternates 1, 0, 1, ...', () => {
  const b = new AgrawalGenerator({ function: 1, perturbation: 0, balance: true, seed: 3 }).next(1000);
  const y = nums(b, 'class');
  applicants(b).forEach((a, i) => {
    assert.is(y[i], i % 2 === 0 ? 1 : 0);
    assert.is(y[i], expected(1, a));
  });
});

test('determinism and JSON round trip', () => {
  assert.is(snapshot(new AgrawalGenerator({ seed: 9, function: 5 }).next(200)), snapshot(new AgrawalGenerator({ seed: 9, function: 5 }).next(200)));
  const g = new AgrawalGenerator({ function: 7, balance: true, seed: 44 });
  g.next(1001);
  const r = generatorFromJSON(JSON.parse(JSON.stringify(g.toJSON())));
  assert.is(snapshot(r.next(400)), snapshot(g.next(400)));
});

test.run();

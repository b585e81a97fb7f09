import { OptionReader } from '../core/index.js';
import { RowGenerator } from './RowGenerator.js';
import type { GeneratorState } from './StreamGenerator.js';

export interface AgrawalOptions {
  /** Classification function 1..10 of Agrawal et al. (1993), page 924 (default 1). */
  function?: number;
  /** Numeric attributes move by up to ± this fraction of their range after labelling (default 0.05). */
  perturbation?: number;
  /** Alternate the classes 1, 0, 1, ... by rejection (default false). */
  balance?: boolean;
  seed?: number;
}

type Fn = (salary: number, commission: number, age: number, elevel: number, hvalue: number, hyears: number, loan: number) => number;

const within = (lo: number, x: number, hi: number) => lo <= x && x <= hi;

/** MOA's ten functions (pred20..pred29 of the IBM Quest C code); 0 = groupA, 1 = groupB. */
const FUNCTIONS: readonly Fn[] = [
  (_s, _c, age) => (age < 40 || 60 <= age ? 0 : 1),
  (s, _c, age) => (age < 40 ? (within(50000, s, 100000) ? 0 : 1) : age < 60 ? (within(75000, s, 125000) ? 0 : 1) : within(25000, s, 75000) ? 0 : 1),
  (_s, _c, age, e) => (age < 40 ? (e === 0 || e === 1 ? 0 : 1) : age < 60 ? (e >= 1 && e <= 3 ? 0 : 1) : e >= 2 && e <= 4 ? 0 : 1),
  (s, _c, age, e) => {
    if (age < 40) return e === 0 || e === 1 ? (within(25000, s, 75000) ? 0 : 1) : within(50000, s, 100000) ? 0 : 1;
    if (age < 60) return e >= 1 && e <= 3 ? (within(50000, s, 100000) ? 0 : 1) : within(75000, s, 125000) ? 0 : 1;
    return e >= 2 && e <= 4 ? (within(50000, s, 100000) ? 0 : 1) : within(25000, s, 75000) ? 0 : 1;
  },
  (s, _c, age, _e, _hv, _hy, loan) => {
    if (age < 40) return within(50000, s, 100000) ? (within(100000, loan, 300000) ? 0 : 1) : within(200000, loan, 400000) ? 0 : 1;
    if (age < 60) return within(75000, s, 125000) ? (within(200000, loan, 400000) ? 0 : 1) : within(300000, loan, 500000) ? 0 : 1;
    return within(25000, s, 75000) ? (within(300000, loan, 500000) ? 0 : 1) : within(100000, loan, 300000) ? 0 : 1;
  },
  (s, c, age) => {
    const t = s + c;
    return age < 40 ? (within(50000, t, 100000) ? 0 : 1) : age < 60 ? (within(75000, t, 125000) ? 0 : 1) : within(25000, t, 75000) ? 0 : 1;
  },
  (s, c, _a, _e, _hv, _hy, loan) => ((2 * (s + c)) / 3 - loan / 5 - 20000 > 0 ? 0 : 1),
  (s, c, _a, e) => ((2 * (s + c)) / 3 - 5000 * e - 20000 > 0 ? 0 : 1),
  (s, c, _a, e, _hv, _hy, loan) => ((2 * (s + c)) / 3 - 5000 * e - loan / 5 - 10000 > 0 ? 0 : 1),
  (s, c, _a, e, hv, hy) => {
    const equity = hy >= 20 ? (hv * (hy - 20)) / 10 : 0;
    return (2 * (s + c)) / 3 - 5000 * e + equity / 5 - 10000 > 0 ? 0 : 1;
  },
];

/**
 * Agrawal et al.'s loan-application stream, as MOA's AgrawalGenerator: salary in [20k, 150k),
 * commission 0 when salary ≥ 75k else [10k, 75k), age 20..80, elevel 0..4, car 1..20,
 * zipcode 1..9, hvalue (9 − zipcode index)·100k·[0.5, 1.5), hyears 1..30, loan [0, 500k).
 * The class comes from the unperturbed values; perturbation is applied afterwards (so it acts
 * as attribute noise), the way MOA and the C code do it.
 */
export class AgrawalGenerator extends RowGenerator {
  readonly kind = 'agrawal';
  readonly function: number;
  readonly perturbation: number;
  readonly balance: boolean;
  readonly seed: number;
  private nextClassShouldBeZero = false;

  constructor(options: AgrawalOptions = {}, path = 'agrawal') {
    const o = new OptionReader(path, options as Record<string, unknown>);
    const fn = o.int('function', 1, 1, 10),
      p = o.number('perturbation', 0.05, 0, 1),
      balance = o.bool('balance', false),
      seed = o.seed('seed', 1);
    o.done();
    super(
      [
        { name: 'salary', type: 'number' },
        { name: 'commission', type: 'number' },
        { name: 'age', type: 'number' },
        { name: 'elevel', type: 'category', values: Array.from({ length: 5 }, (_, i) => `level${i}`) },
        { name: 'car', type: 'category', values: Array.from({ length: 20 }, (_, i) => `car${i + 1}`) },
        { name: 'zipcode', type: 'category', values: Array.from({ length: 9 }, (_, i) => `zipcode${i + 1}`) },
        { name: 'hvalue', type: 'number' },
        { name: 'hyears', type: 'number' },
        { name: 'loan', type: 'number' },
        { name: 'class', type: 'integer' },
      ],
      2,
      seed,
    );
    this.function = fn;
    this.perturbation = p;
    this.balance = balance;
    this.seed = seed;
  }

  protected generate(out: Float64Array): void {
    const r = this.rng,
      f = FUNCTIONS[this.function - 1]!;
    let salary = 0,
      commission = 0,
      age = 0,
      elevel = 0,
      car = 0,
      zipcode = 0,
      hvalue = 0,
      hyears = 0,
      loan = 0,
      group = 0;
    for (;;) {
      salary = 20000 + 130000 * r.float();
      commission = salary >= 75000 ? 0 : 10000 + 65000 * r.float();
      age = 20 + r.int(61);
      elevel = r.int(5);
      car = r.int(20);
      zipcode = r.int(9);
      hvalue = (9 - zipcode) * 100000 * (0.5 + r.float());
      hyears = 1 + r.int(30);
      loan = r.float() * 500000;
      group = f(salary, commission, age, elevel, hvalue, hyears, loan);
      if (!this.balance) break;
      if ((this.nextClassShouldBeZero && group === 0) || (!this.nextClassShouldBeZero && group === 1)) {
        this.nextClassShouldBeZero = !this.nextClassShouldBeZero;
        break;
      }
    }
    if (this.perturbation > 0) {
      salary = this.perturb(salary, 150000 - 20000, 20000, 150000);
      if (commission > 0) commission = this.perturb(commission, 75000 - 10000, 10000, 75000);
      age = Math.round(this.perturb(age, 60, 20, 80));
      // MOA clamps hvalue to [0, 135000], which flattens every house above 135k once
      // perturbation is on: a dropped zero. The attribute's real ceiling is 1.35M.
      hvalue = this.perturb(hvalue, (9 - zipcode) * 100000, 0, 1350000);
      hyears = Math.round(this.perturb(hyears, 29, 1, 30));
      loan = this.perturb(loan, 500000, 0, 500000);
    }
    out[0] = salary;
    out[1] = commission;
    out[2] = age;
    out[3] = elevel;
    out[4] = car;
    out[5] = zipcode;
    out[6] = hvalue;
    out[7] = hyears;
    out[8] = loan;
    out[9] = group;
  }

  /**
   * The class function `fn` (1..10) gives to one applicant: 0 (groupA) or 1 (groupB). `elevel`
   * is the level 0..4 (the code of `level0`..`level4`).
   */
  static classify(fn: number, row: { salary: number; commission: number; age: number; elevel: number; hvalue: number; hyears: number; loan: number }): number {
    const f = FUNCTIONS[fn - 1];
    if (!f) throw new RangeError(`agrawal: function must be 1..10, got ${fn}`);
    return f(row.salary, row.commission, row.age, row.elevel, row.hvalue, row.hyears, row.loan);
  }

  private perturb(v: number, range: number, min: number, max: number): number {
    v += range * (2 * (this.rng.float() - 0.5)) * this.perturbation;
    return v < min ? min : v > max ? max : v;
  }

  toJSON(): GeneratorState {
    return {
      ...this.baseState(),
      options: { function: this.function, perturbation: this.perturbation, balance: this.balance, seed: this.seed },
      nextClassShouldBeZero: this.nextClassShouldBeZero,
    };
  }

  static fromJSON(state: GeneratorState): AgrawalGenerator {
    const g = new AgrawalGenerator(state.options as AgrawalOptions);
    g.restoreBase(state);
    g.nextClassShouldBeZero = Boolean(state.nextClassShouldBeZero);
    return g;
  }
}

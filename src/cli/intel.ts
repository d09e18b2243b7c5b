/** `suqiu intel …`: train, evaluate and retrain the category classifier; resolve addresses. */
import type { Command } from 'commander';
import type { WithDeps } from './common.ts';
import { registerRouting } from './routing.ts';
import { registerProblems } from './problems.ts';


const positive = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name}: a whole number, not ${v}`);
  return n;
};

interface CsvOpts { csv: string; textCol: string; labelCol: string; kind: string; folds: number; minClass: number; seed: number }

/** Adds the `intel` command group. */
export function registerIntel(program: Command, withDeps: WithDeps): void {
  const intel = program.command('intel').description('understanding requests: category classifier, addresses');
  const csvOptions = (c: Command) => c
    .requiredOption('--csv <file>', 'labelled CSV (header row; RFC 4180)')
    .requiredOption('--text-col <name>', 'column with the message text')
    .requiredOption('--label-col <name>', 'column with the label')
    .option('--min-class <n>', 'labels with fewer rows are dropped', positive('--min-class'), 20)
    .option('--seed <n>', 'shuffling seed', positive('--seed'), 1);

  csvOptions(intel.command('train'))
    .description('train a classifier from a CSV and store it in the database as the active model')
    .option('--kind <kind>', 'what the model predicts', 'category')
    .option('--folds <k>', 'also cross-validate with k folds and store the figures (0: no)', positive('--folds'), 0)
    .action((o: CsvOpts) => withDeps(async (deps) => {
      const { readLabelledCsv } = await import('../intel/csv.ts');
      const { trainModel } = await import('../app/intel/models.ts');
      const samples = readLabelledCsv(o.csv, o.textCol, o.labelCol);
      const r = await trainModel(deps, {
        kind: o.kind, samples, folds: o.folds, options: { minClassCount: o.minClass, seed: o.seed },
        source: { file: o.csv.split('/').pop(), textCol: o.textCol, labelCol: o.labelCol },
      });
      console.log(`model ${r.id} (${r.kind}) active: ${r.samples} samples, ${r.labels.length} labels, trained in ${(r.trainMs / 1000).toFixed(1)} s`);
      const rare = Object.entries(r.rareLabels);
      if (rare.length) console.log(`dropped rare labels: ${rare.map(([l, n]) => `${l} ${n}`).join(', ')}`);
      if (r.cv) console.log(`${r.cv.k}-fold: accuracy ${(100 * r.cv.accuracy).toFixed(1)} %, macro-F1 ${(100 * r.cv.macroF1).toFixed(1)} %`);
    }));

  csvOptions(intel.command('eval'))
    .description('cross-validate a classifier on a CSV: accuracy, macro-F1, per-class figures, confusion matrix')
    .option('--folds <k>', 'folds (≥ 2)', positive('--folds'), 5)
    .option('--baseline', 'evaluate the naive-Bayes bag-of-words baseline instead')
    .action((o: CsvOpts & { baseline?: boolean }) => {
      return (async () => {
        const { readLabelledCsv } = await import('../intel/csv.ts');
        const { crossValidate } = await import('../intel/classifier.ts');
        const { evaluationReport } = await import('../intel/report.ts');
        if (o.folds < 2) throw new Error('--folds: at least 2');
        const samples = readLabelledCsv(o.csv, o.textCol, o.labelCol);
        const cv = crossValidate(samples, o.folds, { minClassCount: o.minClass, seed: o.seed, algorithm: o.baseline ? 'nb' : 'logreg' });
        const rare = Object.entries(cv.rareLabels);
        console.log(`${cv.samples} samples${rare.length ? ` (dropped rare labels: ${rare.map(([l, n]) => `${l} ${n}`).join(', ')})` : ''}`);
        console.log(evaluationReport(cv.pooled, cv));
      })();
    });

  intel.command('retrain')
    .description('retrain from the active model\'s samples plus categories staff set or confirmed on cases (run it nightly)')
    .option('--kind <kind>', 'what the model predicts', 'category')
    .option('--folds <k>', 'also cross-validate with k folds (0: no)', positive('--folds'), 0)
    .action((o: { kind: string; folds: number }) => withDeps(async (deps) => {
      const { retrainModel } = await import('../app/intel/models.ts');
      const r = await retrainModel(deps, { kind: o.kind, folds: o.folds });
      console.log(`model ${r.id} (${r.kind}) active: ${r.samples} samples of which ${r.corrections} from staff corrections, ${r.labels.length} labels`);
    }));

  intel.command('models')
    .description('list the stored models')
    .action(() => withDeps(async (deps) => {
      const { modelsList } = await import('../app/intel/models.ts');
      for (const m of await modelsList(deps)) {
        const cv = (m.metrics as { cv?: { macroF1: number } | null; samples?: number }).cv;
        console.log(`${m.id}\t${m.kind}\t${m.active ? 'active' : '-'}\t${m.createdAt.toISOString()}\t${m.labels.length} labels\t${(m.metrics as { samples?: number }).samples ?? '?'} samples${cv ? `\tmacro-F1 ${(100 * cv.macroF1).toFixed(1)} %` : ''}`);
      }
    }));

  intel.command('signals')
    .description('weak signals: district/street × category counts of a day above their last 28 days')
    .option('--day <YYYY-MM-DD>', 'the day examined (China time; default today)')
    .option('--notify', 'queue a notice to the leaders of each alerted unit (once per unit, category and day)')
    .action((o: { day?: string; notify?: boolean }) => withDeps(async (deps) => {
      const { runSignals } = await import('../app/signals.ts');
      const r = await runSignals(deps, { day: o.day, notify: o.notify === true });
      for (const a of r.alerts) console.log(`${a.day}\t${a.unitCode}\t${a.unit.name}\t${a.category}\t${a.count}\tscore ${a.score.toFixed(1)}\t${a.explanation}`);
      console.log(`${r.alerts.length} alert(s) on ${r.day}${o.notify ? `, ${r.notified} notice(s) queued` : ''}`);
    }));

  registerRouting(intel, withDeps);
  registerProblems(intel, withDeps);

  intel.command('resolve <address>')
    .description('resolve a Shenzhen address to a district, street or community')
    .action(async (address: string) => {
      const { resolveAddress } = await import('../intel/address.ts');
      console.log(JSON.stringify(resolveAddress(address)));
    });
}

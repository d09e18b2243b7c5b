/**
 * Training and evaluating the category classifier (src/intel/classifier.ts) for the platform.
 * A model is stored as a row of intel_models with the samples it was trained on; the newest one
 * of a kind is active and intake uses it at once (app/intel/intake-intel.ts).
 *
 * Retraining (`suqiu intel retrain`, or `serve` once a day: jobs/intel.job.ts) learns from the active model's
 * training samples plus every case whose category staff set or confirmed (intel_corrections;
 * the latest correction of a case wins, and replaces a training sample with the same text).
 */
import { crossValidate, train, type CrossValidation, type Sample, type TrainOptions } from '../../intel/classifier.ts';
import { activeModelId, correctedSamples, getModelTraining, insertModel, listModels } from '../../store/intel.queries.ts';
import type { Deps } from '../deps.ts';

export interface TrainResult {
  id: number;
  kind: string;
  samples: number;
  corrections: number;
  labels: string[];
  rareLabels: Record<string, number>;
  trainMs: number;
  cv: Pick<CrossValidation, 'k' | 'accuracy' | 'macroF1' | 'accuracyStd' | 'macroF1Std'> | null;
}

export interface TrainRequest {
  kind?: string;
  samples: Sample[];
  /** Where the samples came from (file, columns), kept in the metrics. */
  source: Record<string, unknown>;
  /** Cross-validate first with this many folds (0: no). */
  folds?: number;
  options?: TrainOptions;
}

/** Trains on `samples`, stores the model as the active one of its kind. Throws when no label has enough samples. */
export async function trainModel(deps: Deps, req: TrainRequest): Promise<TrainResult> {
  const kind = req.kind ?? 'category';
  const samples = req.samples.filter((s) => s.text.trim() && s.label.trim());
  const cv = req.folds && req.folds >= 2 ? crossValidate(samples, req.folds, req.options) : null;
  const started = performance.now();
  const model = train(samples, req.options);
  const trainMs = performance.now() - started;
  if (model.labels.length < 2) throw new Error(`TRAINING: at least two labels with ${req.options?.minClassCount ?? 20}+ samples are needed`);
  const cvFigures = cv && { k: cv.k, accuracy: cv.accuracy, macroF1: cv.macroF1, accuracyStd: cv.accuracyStd, macroF1Std: cv.macroF1Std };
  const metrics = {
    source: req.source, samples: samples.length, trainMs: Math.round(trainMs), rareLabels: model.trainedOn.rareLabels,
    perLabel: model.trainedOn.perLabel, cv: cvFigures,
  };
  const id = await deps.db.orm.transaction((tx) => insertModel(tx, {
    kind, createdAt: deps.now(), labels: model.labels, metrics, model, training: samples, active: true,
  }));
  return {
    id, kind, samples: samples.length, corrections: Number(req.source.corrections ?? 0), labels: model.labels,
    rareLabels: model.trainedOn.rareLabels, trainMs, cv: cvFigures,
  };
}

/**
 * Retrains from the active model's samples plus staff-confirmed categories. Throws when there is
 * no model yet and no correction to learn from.
 */
export async function retrainModel(deps: Deps, opts: { kind?: string; folds?: number; options?: TrainOptions } = {}): Promise<TrainResult> {
  const kind = opts.kind ?? 'category';
  const id = await activeModelId(deps.db.orm, kind);
  const base = id === null ? null : await getModelTraining(deps.db.orm, id);
  const corrections = await correctedSamples(deps.db.orm, kind);
  const samples = mergeSamples((base?.training as Sample[] | null) ?? [], corrections);
  if (samples.length === 0) throw new Error('TRAINING: no model to retrain and no corrections; run `suqiu intel train --csv …` first');
  return trainModel(deps, {
    kind, samples, folds: opts.folds, options: opts.options,
    source: { retrainedFrom: id, corrections: corrections.length, base: (base?.metrics as { source?: unknown } | null)?.source ?? null },
  });
}

/** Base samples with corrections applied: a corrected text replaces the base sample with the same text. */
export function mergeSamples(base: readonly Sample[], corrections: readonly Sample[]): Sample[] {
  const corrected = new Set(corrections.map((c) => c.text));
  return [...base.filter((s) => !corrected.has(s.text)), ...corrections];
}

export const modelsList = (deps: Deps) => listModels(deps.db.orm);

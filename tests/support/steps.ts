/**
 * A long browser tour cut into screens, each with its own time budget, so that a slow or stuck run
 * on CI says from its log alone which screen it was working towards, what it was waiting for last,
 * and how long that screen took. Budgets are at least three times what a screen takes on an idle
 * machine: a busy machine makes a screen slower, never a test red.
 */

export class StepTimeout extends Error {}

export interface Steps {
  /** Records the state the tour is in now (what it waits for next); a failure reports the last one. */
  at(state: string): void;
  /**
   * Runs the work leading to one screen within `budgetMs`. On an error or an overrun the error names
   * the tour, the screen, the last state seen and the time spent; the work's own error is kept as
   * `cause`. On an overrun the caller's `finally` closes the pages the stuck work still waits on.
   */
  screen<T>(name: string, budgetMs: number, work: () => Promise<T>): Promise<T>;
}

export function steps(tour: string, log?: (line: string) => void): Steps {
  let current = '(not started)';
  let last = '(none yet)';
  let since = Date.now();
  const elapsed = () => `${((Date.now() - since) / 1000).toFixed(1)} s`;
  return {
    at(state) {
      last = state;
      log?.(`[${tour}] ${current} +${elapsed()}: ${state}`);
    },
    async screen(name, budgetMs, work) {
      current = name;
      last = '(none yet)';
      since = Date.now();
      let timer: NodeJS.Timeout | undefined;
      const overrun = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const error = new StepTimeout(
            `${tour}: screen "${name}" not reached within its budget of ${budgetMs / 1000} s; last state: ${last}`,
          );
          reject(error);
        }, budgetMs);
      });
      try {
        const result = await Promise.race([work(), overrun]);
        log?.(`[${tour}] ${name} reached after ${elapsed()}`);
        return result;
      } catch (error) {
        if (error instanceof StepTimeout) throw error;
        const message = error instanceof Error ? error.message : String(error);
        throw new Error(`${tour}: screen "${name}" failed after ${elapsed()}; last state: ${last}\n${message}`, { cause: error });
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** The sum of a tour's screen budgets: the test's own limit, reached only if budgets are wrong. */
export const totalBudget = (budgets: Record<string, number>, slackMs = 30_000) => Object.values(budgets).reduce((a, b) => a + b, slackMs);

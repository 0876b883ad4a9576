/** The comparison in a tslab notebook: the tables as HTML and the figures side by side. */
import { showHtml } from '@terra-vertex/core';
import { figuresHtml, leaderboardHtml, perClassHtml } from './report.ts';
import type { Leaderboard } from './types.ts';

/**
 * Shows the leaderboard, the per-class precision and recall, and the curves and confusion matrices (PNG
 * images, side by side) in the notebook. Outside a tslab kernel it does nothing (no image is rendered).
 *
 * @example
 * await showComparison(buildLeaderboard(truth, predictions));
 */
export async function showComparison(b: Leaderboard): Promise<void> {
  if (!showHtml(leaderboardHtml(b))) return;
  showHtml(perClassHtml(b));
  await new Promise((resolve) => setImmediate(resolve));
  showHtml(figuresHtml(b));
}

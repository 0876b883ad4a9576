import { describe, expect, it } from 'vitest';
import { showStudyReport, studyReportHtml } from './study-report.ts';
import type { TrialLike } from './trial-analysis.ts';

const TRIALS: TrialLike[] = [
  {
    id: '2',
    state: 'SUCCEEDED',
    parameters: { lr: 0.01, state: 'x' },
    finalMeasurement: { metrics: { loss: 0.2 } },
  },
  {
    id: '1',
    state: 'SUCCEEDED',
    parameters: { lr: 0.1, state: 'y' },
    finalMeasurement: { metrics: { loss: 0.5 } },
  },
  {
    id: '3',
    state: 'INFEASIBLE',
    parameters: { lr: 1, state: 'x' },
    infeasibleReason: 'OOM <killed> & "137"',
  },
];
const METRIC = { metricId: 'loss', goal: 'minimize' } as const;

describe('study report', () => {
  it('is a self-contained page with summary, best trial, charts and the trials table', () => {
    const html = studyReportHtml({
      title: 'lr <sweep>',
      state: 'JOB_STATE_SUCCEEDED',
      trials: TRIALS,
      metric: METRIC,
    });
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('<title>lr &lt;sweep&gt;</title>');
    expect(html).not.toMatch(/<script|<link|<img| src=| href=/);
    expect(html).toContain('JOB_STATE_SUCCEEDED');
    expect(html).toContain('3 (SUCCEEDED 2 · INFEASIBLE 1)');
    expect(html).toContain('Best trial 2: parameters');
    expect(html.match(/<svg /g)).toHaveLength(3);
    expect(html).toContain('<strong>2</strong> (best)');
    expect(html).toContain('OOM &lt;killed&gt; &amp; &quot;137&quot;');
    expect(html).not.toContain('OOM <killed>');
    expect(html).toContain('>infeasible reason</th>');
    // A parameter named `state` gets its own column next to the trial's state.
    const trialsTable = html.slice(html.lastIndexOf('<table'));
    expect(trialsTable.match(/>state<\/th>/g)).toHaveLength(2);
    expect(trialsTable.indexOf('>1<')).toBeLessThan(trialsTable.indexOf('<strong>2</strong>'));
  });

  it('renders an empty study without throwing, and a fragment for notebooks', () => {
    const html = studyReportHtml({ title: 'empty', trials: [], metric: METRIC });
    expect(html).toContain('No trials yet.');
    expect(html).toContain('none yet');
    const fragment = studyReportHtml({ title: 'empty', trials: [], metric: METRIC }, { fragment: true });
    expect(fragment).toMatch(/^<div/);
    expect(fragment).not.toContain('<html');
    expect(showStudyReport({ title: 'empty', trials: [], metric: METRIC })).toBe(false);
  });

  it('names the field of bad input', () => {
    expect(() =>
      studyReportHtml({ title: 't', trials: TRIALS, metric: { metricId: '', goal: 'minimize' } }),
    ).toThrow(/^metric\.metricId: is missing/);
  });
});

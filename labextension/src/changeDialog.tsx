/**
 * Preview of a change as a unified diff, with Apply and Cancel. Nothing is
 * written until the user presses Apply.
 */
import { Dialog, showDialog } from '@jupyterlab/apputils';
import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import { IExpectedEffect } from './api';
import { IChangePlan } from './fixes';
import { trans } from './i18n';
import { Markdown } from './markdown';

function lineClass(line: string): string {
  if (line.startsWith('+++') || line.startsWith('---')) {
    return 'jp-GreenAssist-diffFile';
  }
  if (line.startsWith('@@')) {
    return 'jp-GreenAssist-diffHunk';
  }
  if (line.startsWith('+')) {
    return 'jp-GreenAssist-diffAdd';
  }
  if (line.startsWith('-')) {
    return 'jp-GreenAssist-diffDel';
  }
  return 'jp-GreenAssist-diffContext';
}

export function DiffView(props: { diff: string }): JSX.Element {
  const lines = props.diff.replace(/\n$/, '').split('\n');
  return (
    <pre className="jp-GreenAssist-diff" aria-label={trans.__('Proposed change')} tabIndex={0}>
      {lines
        .filter(line => !line.startsWith('==='))
        .map((line, i) => (
          <div key={i} className={lineClass(line)}>
            {line || ' '}
          </div>
        ))}
    </pre>
  );
}

/**
 * The saving the change is expected to bring, before it is applied: always labelled as
 * an estimate, its basis on demand (the measured verdict follows the cell's next run).
 */
export function ExpectedView(props: { expected: IExpectedEffect; here: boolean }): JSX.Element {
  const { expected } = props;
  const range = expected.saving_pct;
  return (
    <section
      className="jp-GreenAssist-expected"
      data-field="expected"
      data-saving={range ? range.join('-') : 'unknown'}
      aria-label={trans.__('Expected effect (estimate)')}
    >
      <p>
        <strong>
          {props.here ? trans.__('Expected on this hardware (estimate):') : trans.__('Expected (estimate):')}
        </strong>{' '}
        <span className="jp-GreenAssist-estimated">{expected.summary}</span>
      </p>
      {expected.basis.length > 0 && (
        <details className="jp-GreenAssist-basis">
          <summary>{trans.__('Basis of this estimate')}</summary>
          <ul>
            {expected.basis.map((line, i) => (
              <li key={i}>{line}</li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

class ChangeBody extends ReactWidget {
  constructor(private _plan: IChangePlan) {
    super();
    this.addClass('jp-GreenAssist-changeBody');
  }

  render(): JSX.Element {
    return (
      <div>
        {this._plan.expected && <ExpectedView expected={this._plan.expected} here={this._plan.expectedHere} />}
        {this._plan.notes.length > 0 && (
          <Markdown
            className="jp-GreenAssist-notes"
            label={trans.__('What the change does')}
            source={this._plan.notes.map(note => `- ${note}`).join('\n')}
          />
        )}
        <DiffView diff={this._plan.diff} />
      </div>
    );
  }
}

/** Show the preview; apply the change when the user accepts. Returns whether it was applied. */
export async function previewAndApply(plan: IChangePlan): Promise<boolean> {
  const result = await showDialog({
    title: trans.__('Preview: %1', plan.title),
    body: new ChangeBody(plan),
    buttons: [Dialog.cancelButton({ label: trans.__('Cancel') }), Dialog.okButton({ label: trans.__('Apply') })]
  });
  if (result.button.accept) {
    plan.apply();
    return true;
  }
  return false;
}

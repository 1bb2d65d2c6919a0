/**
 * Preview of a change as a unified diff, with Apply and Cancel. Nothing is
 * written until the user presses Apply.
 */
import { Dialog, showDialog } from '@jupyterlab/apputils';
import { ReactWidget } from '@jupyterlab/ui-components';
import * as React from 'react';

import { IChangePlan } from './fixes';

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
    <pre className="jp-GreenAssist-diff" aria-label="Proposed change">
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

class ChangeBody extends ReactWidget {
  constructor(private _plan: IChangePlan) {
    super();
    this.addClass('jp-GreenAssist-changeBody');
  }

  render(): JSX.Element {
    return (
      <div>
        {this._plan.notes.length > 0 && (
          <ul className="jp-GreenAssist-notes">
            {this._plan.notes.map((note, i) => (
              <li key={i}>{note}</li>
            ))}
          </ul>
        )}
        <DiffView diff={this._plan.diff} />
      </div>
    );
  }
}

/** Show the preview; apply the change when the user accepts. Returns whether it was applied. */
export async function previewAndApply(plan: IChangePlan): Promise<boolean> {
  const result = await showDialog({
    title: `Preview: ${plan.title}`,
    body: new ChangeBody(plan),
    buttons: [Dialog.cancelButton(), Dialog.okButton({ label: 'Apply' })]
  });
  if (result.button.accept) {
    plan.apply();
    return true;
  }
  return false;
}

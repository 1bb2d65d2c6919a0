/**
 * The findings list of the sidebar: grouped by cell, each with its code,
 * message, "Why?" (the rule's rationale) and "Fix" (preview, then apply).
 */
import * as React from 'react';

import { IFinding, IRelated, IRuleInfo } from './api';
import { previewAndApply } from './changeDialog';
import { FindingsModel } from './findings';
import { planFix, RefusedChange } from './fixes';
import { cellLabel } from './format';
import { trans } from './i18n';
import { Markdown } from './markdown';

/** "Advice for the kernel's machine: AMD EPYC (AVX-512 BF16), no GPU" (the server's words). */
function AdviceTarget(props: { model: FindingsModel }): JSX.Element | null {
  const { model } = props;
  if (model.status === 'waiting') {
    return <p className="jp-GreenAssist-hint">{trans.__('Waiting for the kernel to say which machine it runs on…')}</p>;
  }
  const target = model.analysis?.target;
  if (!target) {
    return null;
  }
  return (
    <p
      className="jp-GreenAssist-target"
      data-field="advice-target"
      data-known={target.known}
      data-fast={target.fast_dtypes?.join(' ') ?? 'unknown'}
    >
      {trans.__('Advice for %1', target.description)}
    </p>
  );
}

/** The rule's page as Markdown: summary, why it matters, the fix, sources (links). */
export function rationaleMarkdown(rule: IRuleInfo): string {
  const parts = [`**${rule.summary}**`];
  const doc = rule.doc;
  if (doc) {
    parts.push(`**${trans.__('Why it matters.')}** ${doc.why}`);
    parts.push(`**${trans.__('Fix.')}** ${doc.fix}`);
    if (doc.sources.length > 0) {
      parts.push(`**${trans.__('Sources')}**\n\n${doc.sources.map(source => `- ${source}`).join('\n')}`);
    }
  }
  return parts.join('\n\n');
}

function RuleRationale(props: { code: string; rule?: IRuleInfo; id: string }): JSX.Element {
  const { rule } = props;
  return (
    <div className="jp-GreenAssist-why" id={props.id} role="region" aria-label={trans.__('Why %1?', props.code)}>
      {rule ? <Markdown source={rationaleMarkdown(rule)} /> : <p>{trans.__('No documentation for %1.', props.code)}</p>}
    </div>
  );
}

/** "via accuracy_fn (cell 3)": where the cause sits; a click shows that cell. */
function RelatedLink(props: { model: FindingsModel; related: IRelated }): JSX.Element {
  const { model, related } = props;
  const where = related.function ?? trans.__('line %1', related.line);
  const cell = related.cell;
  const label =
    cell !== null
      ? trans.__('via %1 (%2)', where, cellLabel(cell))
      : trans.__('via %1 (%2)', where, trans.__('line %1', related.line));
  if (cell === null) {
    return (
      <span className="jp-GreenAssist-related" title={related.message}>
        {label}
      </span>
    );
  }
  return (
    <button
      className="jp-GreenAssist-related jp-GreenAssist-cellLink"
      title={related.message}
      onClick={() => model.document.revealCell(cell)}
    >
      {label}
    </button>
  );
}

function FindingItem(props: { model: FindingsModel; finding: IFinding; rule?: IRuleInfo }): JSX.Element {
  const { model, finding, rule } = props;
  const [showWhy, setShowWhy] = React.useState(false);
  const [problem, setProblem] = React.useState<string | null>(null);
  const [busy, setBusy] = React.useState(false);
  const whyId = React.useId();

  const fix = async () => {
    setProblem(null);
    setBusy(true);
    try {
      const plan = await planFix(
        model.document,
        finding,
        rule?.refactor ?? null,
        model.refactorOptions,
        model.refactorContext(finding.cell)
      );
      setBusy(false);
      if (await previewAndApply(plan)) {
        model.refresh();
      }
    } catch (reason) {
      setBusy(false);
      setProblem(
        reason instanceof RefusedChange
          ? reason.message
          : trans.__('The fix could not be prepared: %1', (reason as Error).message ?? String(reason))
      );
    }
  };

  return (
    <li className="jp-GreenAssist-finding" data-code={finding.code} data-severity={finding.severity}>
      <div className="jp-GreenAssist-findingHead">
        <span className="jp-GreenAssist-code" title={finding.name}>
          {finding.code}
        </span>
        <span className="jp-GreenAssist-where">{trans.__('line %1', finding.line)}</span>
      </div>
      <div className="jp-GreenAssist-message">{finding.message}</div>
      {(finding.related ?? []).length > 0 && (
        <div className="jp-GreenAssist-relatedList">
          {(finding.related ?? []).map((related, i) => (
            <RelatedLink key={i} model={model} related={related} />
          ))}
        </div>
      )}
      <div className="jp-GreenAssist-actions">
        <button
          className="jp-GreenAssist-button jp-mod-styled"
          aria-expanded={showWhy}
          aria-controls={showWhy ? whyId : undefined}
          onClick={() => setShowWhy(!showWhy)}
        >
          {trans.__('Why?')}
        </button>
        <button
          className="jp-GreenAssist-button jp-GreenAssist-fix jp-mod-styled jp-mod-accept"
          disabled={busy}
          title={finding.fix ?? trans.__('Preview the refactor that answers this finding')}
          onClick={() => void fix()}
        >
          {busy ? trans.__('Preparing…') : trans.__('Fix')}
        </button>
      </div>
      {showWhy && <RuleRationale code={finding.code} rule={rule} id={whyId} />}
      {problem && (
        <p className="jp-GreenAssist-problem" role="status">
          {problem}
        </p>
      )}
    </li>
  );
}

export function FindingsView(props: { model: FindingsModel | null }): JSX.Element {
  const { model } = props;
  if (!model) {
    return <p className="jp-GreenAssist-hint">{trans.__('Open a notebook or a Python file to see its findings.')}</p>;
  }
  const groups = model.byCell();
  const rules = model.analysis?.rules ?? {};
  const errors = model.analysis?.errors ?? [];
  return (
    <div className="jp-GreenAssist-findings" data-status={model.status}>
      <AdviceTarget model={model} />
      {model.status === 'analyzing' && <p className="jp-GreenAssist-hint">{trans.__('Analyzing…')}</p>}
      {model.error && <p className="jp-GreenAssist-error">{model.error}</p>}
      {errors.map((error, i) => (
        <p key={i} className="jp-GreenAssist-error">
          {error.cell !== null && error.cell !== undefined ? `${cellLabel(error.cell)}: ` : ''}
          {error.message}
        </p>
      ))}
      {model.status === 'ready' && model.findings.length === 0 && errors.length === 0 && (
        <p className="jp-GreenAssist-hint">
          {model.analysis?.excluded
            ? trans.__('Not analysed: `exclude` in [tool.green-assist] of pyproject.toml skips this file.')
            : trans.__('No energy findings.')}
        </p>
      )}
      {[...groups.entries()].map(([cell, findings]) => (
        <section key={cell} className="jp-GreenAssist-findingGroup" data-cell={cell}>
          {cell >= 0 && (
            <button
              className="jp-GreenAssist-cellLink"
              onClick={() => model.document.revealCell(cell)}
              title={trans.__('Scroll to this cell')}
            >
              {cellLabel(cell, model.executionCount(cell))}
            </button>
          )}
          <ul>
            {findings.map((finding, i) => (
              <FindingItem
                key={`${finding.code}-${finding.line}-${finding.column}-${i}`}
                model={model}
                finding={finding}
                rule={rules[finding.code]}
              />
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

/**
 * Markdown rendered by JupyterLab's own renderer (code spans, links that open in a
 * new tab, the theme's typography), for a rule's "Why?" and the notes of a change.
 * The renderer registry is handed over once by the plugin that has it.
 */
import { IRenderMimeRegistry, MimeModel } from '@jupyterlab/rendermime';
import * as React from 'react';

let registry: IRenderMimeRegistry | null = null;

export function setRenderMime(rendermime: IRenderMimeRegistry | null): void {
  registry = rendermime ?? registry;
}

export function Markdown(props: { source: string; className?: string; label?: string }): JSX.Element {
  const host = React.useRef<HTMLDivElement>(null);
  const [fallback, setFallback] = React.useState(registry === null);
  React.useEffect(() => {
    const node = host.current;
    if (!node || !registry) {
      setFallback(true);
      return;
    }
    const renderer = registry.createRenderer('text/markdown');
    const model = new MimeModel({ data: { 'text/markdown': props.source }, trusted: false });
    let live = true;
    void renderer.renderModel(model).then(() => {
      if (!live) {
        return;
      }
      // Links leave the notebook: a new tab, and long addresses wrap.
      renderer.node.querySelectorAll('a[href^="http"]').forEach(link => {
        link.setAttribute('target', '_blank');
        link.setAttribute('rel', 'noopener noreferrer');
      });
      node.replaceChildren(renderer.node);
    });
    return () => {
      live = false;
      renderer.dispose();
    };
  }, [props.source]);
  return (
    <div ref={host} className={`jp-GreenAssist-markdown ${props.className ?? ''}`} aria-label={props.label}>
      {fallback && <p style={{ whiteSpace: 'pre-wrap' }}>{props.source}</p>}
    </div>
  );
}

import { createRequire } from 'node:module';
import { Window } from 'happy-dom';
import type * as AdaptiveCardsModule from 'adaptivecards';

/**
 * The `adaptivecards` renderer (what Teams' web client is built on) running in a happy-dom DOM. Its
 * browser bundle reads `window`, `document` and the HTML element classes when it renders, so they are
 * installed as globals before the bundle is required.
 */
const win = new Window();
const globals = globalThis as Record<string, unknown>;
globals['window'] = win;
globals['document'] = win.document;
for (const key of Object.getOwnPropertyNames(win)) {
  if (!/^(HTML|SVG|Node$|Element$|Event$|KeyboardEvent$|MouseEvent$|DOMParser$)/.test(key)) continue;
  if (!(key in globalThis)) globals[key] = (win as unknown as Record<string, unknown>)[key];
}

const require = createRequire(import.meta.url);
export const AC = require('adaptivecards/dist/adaptivecards.js') as typeof AdaptiveCardsModule;

// Teams renders its own markdown subset; here the text is taken as it is (and the bundle stops warning).
AC.AdaptiveCard.onProcessMarkdown = (text, result) => {
  result.outputHtml = text;
  result.didProcess = true;
};

export interface ParsedCard {
  card: AdaptiveCardsModule.AdaptiveCard;
  /** Parse events and validation failures, as readable lines; empty for a valid card. */
  problems: string[];
  element: ReturnType<AdaptiveCardsModule.AdaptiveCard['render']>;
}

/** Parses, validates and renders a card JSON the way a client would. */
export function parseCard(json: unknown, options: { withoutExecute?: boolean } = {}): ParsedCard {
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  if (options.withoutExecute) {
    // A client that predates universal actions: Action.Execute is unknown, so `fallback` is used.
    const actions = new AC.CardObjectRegistry<AdaptiveCardsModule.Action>();
    AC.GlobalRegistry.populateWithDefaultActions(actions);
    actions.unregister('Action.Execute');
    context.setActionRegistry(actions);
  }
  card.parse(json, context);
  const problems: string[] = teamsChartsWithoutFallback(json);
  for (let i = 0; i < context.eventCount; i++) {
    const { message } = context.getEventAt(i);
    // Teams renders its chart elements; this renderer, like other clients, takes their fallback (checked above).
    if (!TEAMS_CHART_UNKNOWN.test(message)) problems.push(`parse: ${message}`);
  }
  for (const e of card.validateProperties().validationEvents) problems.push(`validate: ${e.message}`);
  const element = card.render();
  if (element) win.document.body.appendChild(element as never);
  return { card, problems, element };
}

/** What the renderer says of a Teams chart element it does not know. */
const TEAMS_CHART_UNKNOWN = /^Unknown element type "Chart\.[A-Za-z.]+"\. Fallback will be used if present\.$/;

/** Teams' chart elements (Chart.Donut, Chart.VerticalBar.Grouped…) must say what other clients show instead. */
function teamsChartsWithoutFallback(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(teamsChartsWithoutFallback);
  if (typeof node !== 'object' || node === null) return [];
  const o = node as Record<string, unknown>;
  const own =
    typeof o['type'] === 'string' && o['type'].startsWith('Chart.') && o['fallback'] === undefined
      ? [`chart: ${o['type']} has no fallback for clients without charts`]
      : [];
  return [...own, ...Object.values(o).flatMap(teamsChartsWithoutFallback)];
}

/** The payload a click on the action with this title would send: its data merged with the inputs. */
export function click(parsed: ParsedCard, title: string): Record<string, unknown> {
  const action = parsed.card.getAllActions().find((a) => a.title === title);
  if (!action) throw new Error(`No action titled "${title}"`);
  let sent: Record<string, unknown> | undefined;
  parsed.card.onExecuteAction = (a) => {
    sent = { type: a.getJsonTypeName(), ...((a as unknown as { data: Record<string, unknown> }).data ?? {}) };
  };
  action.execute();
  if (!sent) throw new Error(`Action "${title}" did not execute (an input may be invalid)`);
  return sent;
}

/** What a user does to an input before clicking: tick a checkbox, pick a choice, type a number. */
export function setInput(parsed: ParsedCard, id: string, value: string | boolean): void {
  const input = parsed.card.getAllInputs().find((i) => i.id === id);
  if (!input) throw new Error(`No input "${id}"`);
  // The rendered control is protected API; reaching it is how a test plays the user.
  const control = (
    input as unknown as { renderedInputControlElement?: { querySelector(s: string): unknown } }
  ).renderedInputControlElement;
  const element = (control?.querySelector('input,select') ?? control) as {
    checked?: boolean;
    value?: string;
  };
  if (typeof value === 'boolean') element.checked = value;
  else element.value = value;
}

export const isHtmlElement = (e: unknown): boolean => e instanceof win.HTMLElement;

/**
 * In every engine (test/helpers/engine.ts: Chromium and Firefox through puppeteer-core).
 * Issue 13 finding 2 (reference/security.md T9): the widget's own `.focus()` on each step's heading
 * dispatches a trusted `focusin`, which used to arm Approve with no user input at all. Here an
 * admin already signed in (in another tab) is sent to the consent page by script, so the review
 * appears with no trusted pointer or key event and no user activation in the consent document;
 * Approve must stay disabled until a real pointer move or key press.
 *
 * The drivers run their evaluations with user activation (CDP `userGesture`, BiDi
 * `userActivation`), which gives the frame transient user activation. So nothing here evaluates in the victim's consent document until
 * the widget has moved focus; the review is observed through console lines from an init script.
 */
import type { ConsoleMessage, Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORDS } from '../../demo/users.js';
import { byCss, byRole, ENGINES, waitForFrame, type Surface } from '../helpers/engine.js';
import { useEngineSuite } from '../helpers/engine-suite.js';

const PROBE = 'guard-probe';

/** Logs every trusted input event reaching the consent document, and whether the frame had user activation then. */
function probeInput(tag: string): void {
  if (!location.pathname.startsWith('/ats/consent')) return;
  for (const type of ['pointermove', 'pointerdown', 'keydown', 'focusin']) {
    document.addEventListener(type, (event) => {
      const target = event.composedPath()[0] as Element;
      const part = target.getAttribute?.('part') ?? target.nodeName;
      console.log(`${tag} ${type} trusted=${event.isTrusted} part=${part} active=${navigator.userActivation.isActive}`);
    }, true);
  }
}

function probeLines(page: Page): string[] {
  const lines: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.text().startsWith(PROBE)) lines.push(message.text().slice(PROBE.length + 1));
  });
  return lines;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(ENGINES)('%s', (engine) => {
  const suite = useEngineSuite(engine);

  /** What "Enable (POPUP|REDIRECT)" does on the SR page, run by script: no trusted click. */
  async function enableFromSr(page: Page, companyId: string, mode: 'popup' | 'redirect'): Promise<void> {
    await page.goto(suite.demo.srUrl + '/');
    await page.evaluate(
      (id, button) => {
        (document.getElementById('company-id') as HTMLInputElement).value = id;
        document.getElementById(button)!.click(); // HTMLElement.click(): isTrusted false; SR's page is another origin anyway
      },
      companyId,
      `enable-${mode}`,
    );
  }

  /** Signs the admin in through the consent API from `surface`, which sets the session cookie for the context. */
  async function signInByApi(surface: Surface): Promise<void> {
    await byRole(surface, 'heading', 'Sign in to continue');
    await surface.evaluate(async (password) => {
      const boot = (await (await fetch('/ats/consent/bootstrap' + location.search)).json()) as { csrfToken: string; session: string };
      const response = await fetch('/ats/consent/sign-in', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-ats-csrf': boot.csrfToken, 'x-ats-session': boot.session },
        body: JSON.stringify({ username: 'admin@acme.test', password }),
      });
      if (!response.ok) throw new Error(`sign-in ${response.status}`);
    }, DEMO_PASSWORDS['admin@acme.test']!);
  }

  /** An earlier tab signs in, in the same cookie partition as the victim page will use. */
  async function signInInAnotherTab(companyId: string, mode: 'popup' | 'redirect'): Promise<void> {
    const tab = await suite.context.newPage();
    if (mode === 'redirect') {
      await tab.goto(`${suite.demo.consentUrl}?companyId=${companyId}`);
      await signInByApi(tab);
    } else {
      await enableFromSr(tab, companyId, 'popup');
      await signInByApi(await waitForFrame(tab, /\/ats\/consent/));
    }
    await tab.close();
  }

  /**
   * The attack sequence: the review appears with the widget's own focus on its heading as the only
   * event, nothing arms Approve for well past the 500 ms clock; then `armBy` arms it.
   */
  async function expectOnlyRealInputArms(mode: 'popup' | 'redirect', armBy: (page: Page) => Promise<void>): Promise<void> {
    const companyId = `GUARD-${mode.toUpperCase()}`;
    await signInInAnotherTab(companyId, mode);
    const { page } = suite;
    await page.evaluateOnNewDocument(probeInput, PROBE);
    const events = probeLines(page);
    await enableFromSr(page, companyId, mode);
    await expect.poll(() => events.length, { timeout: 5_000 }).toBeGreaterThan(0);
    await sleep(1_500); // well past the 500 ms visibility clock
    expect(events, 'the review appeared with no user input').toEqual(['focusin trusted=true part=title active=false']);

    const surface: Surface = mode === 'redirect' ? page : await waitForFrame(page, /\/ats\/consent/);
    await byRole(surface, 'heading', 'Connect to SmartRecruiters?');
    const approve = await byRole(surface, 'button', 'Approve');
    const disabled = () => approve.evaluate((element) => (element as HTMLButtonElement).disabled);
    expect(await disabled(), 'Approve armed itself with no user input').toBe(true);

    await armBy(page);
    await expect.poll(disabled, { timeout: 2_000 }).toBe(false);
  }

  async function moveOverConsent(page: Page): Promise<void> {
    const box = (await (await byCss(page, '#consent-frame')).boundingBox()) ?? { x: 0, y: 0 };
    await page.mouse.move(box.x + 10, box.y + 10);
    await page.mouse.move(box.x + 30, box.y + 30);
  }

  describe("Approve guard ignores the widget's own focus (T9, issue 13 finding 2)", () => {
    it("REDIRECT: a signed-in admin's fresh review keeps Approve disabled until a real pointer move", async () => {
      await expectOnlyRealInputArms('redirect', async (page) => {
        await page.mouse.move(20, 20);
        await page.mouse.move(40, 40);
      });
    });

    it('REDIRECT: a real key press arms it too (keyboard users)', async () => {
      await expectOnlyRealInputArms('redirect', (page) => page.keyboard.press('Shift'));
    });

    it("POPUP: the same inside the SR page's iframe, until a real pointer move over the frame", async () => {
      await expectOnlyRealInputArms('popup', moveOverConsent);
    });
  });
});

// Reminder emails in both locales: the cart, the hold, the button, the unsubscribe link; the
// organizer's own wording with variables; and hostile text that must stay text. Colours readable
// with any accent, a button Outlook draws, a phone number that does not wrap, Russian titles
// that need no declension, and a discount the link applies (no code to type).
import { describe, expect, test } from 'vitest';
import { contrastRatio } from '../../server/contracts/contrast.ts';
import { renderReminderEmail, TEMPLATE_VARIABLES, validateTemplate, type ReminderEmailInput } from '../../server/recovery/templates.ts';
import { MAIL_STRINGS } from '../../server/recovery/i18n.ts';

const XSS = '<script>alert(1)</script><img src=x onerror=alert(1)>';

function input(o: Partial<ReminderEmailInput> = {}): ReminderEmailInput {
  return {
    locale: 'en',
    step: 0,
    organizer: { name: 'Globe Theatre', accentColor: '#1e5a8b', supportEmail: 'help@globe.example', supportPhone: '+7 495 000-00-00' },
    event: { title: 'Hamlet', venue: 'Main stage', timeZone: 'Europe/Moscow', currency: 'RUB' },
    performance: { startsAt: '2026-12-05T16:00:00.000Z' },
    buyerName: 'Anna',
    items: [
      { name: 'Stalls', quantity: 2, lineTotal: 300000 },
      { name: 'Balcony', quantity: 1, lineTotal: 80050 },
    ],
    total: 380050,
    hold: 'held',
    resumeUrl: 'https://theatre.example/hamlet?encore_resume=abc',
    unsubscribeUrl: 'https://tickets.example/u/xyz',
    discount: null,
    custom: {},
    ...o,
  };
}

/** Every tag in the document; escaped text never forms one. */
const tags = (html: string) => html.match(/<[^>]*>/g) ?? [];

function expectNoActiveContent(html: string) {
  expect(html).not.toMatch(/<script/i);
  for (const tag of tags(html)) {
    expect(tag).not.toMatch(/\son\w+\s*=/i);
    expect(tag).not.toMatch(/^<img/i);
  }
}

test('English: subject, cart lines and total, hold, button, footer with unsubscribe', () => {
  const m = renderReminderEmail(input());
  expect(m.subject).toBe('You left tickets for Hamlet on 5 December at 19:00');
  expect(m.html).toContain('Hello, Anna!');
  expect(m.html).toContain('2 × Stalls');
  expect(m.html).toMatch(/₽3,000<\/td>/);
  expect(m.html).toMatch(/₽800\.50<\/td>/);
  expect(m.html).toMatch(/₽3,800\.50<\/td>/);
  expect(m.html).toContain('We are still holding these seats');
  expect(m.html).toContain('href="https://theatre.example/hamlet?encore_resume=abc"');
  expect(m.html).toMatch(/<a href="https:\/\/tickets\.example\/u\/xyz"[^>]*>Unsubscribe from these reminders<\/a>/);
  expect(m.html).toContain('background:#1e5a8b');
  expect(m.html).toContain('mailto:help@globe.example');
  expect(m.text).toContain('Return to your order: https://theatre.example/hamlet?encore_resume=abc');
  expect(m.text).toContain('Unsubscribe from these reminders: https://tickets.example/u/xyz');
  expect(m.text).toContain('2 × Stalls — ₽3,000');
  expect(m.text).not.toMatch(/<[a-z/]/i);
});

test('Russian: wording, dates and money in Russian', () => {
  const m = renderReminderEmail(input({ locale: 'ru', hold: 'released', buyerName: null }));
  expect(m.subject).toBe('Вы оставили билеты: «Hamlet», 5 декабря в 19:00');
  expect(m.html).toContain('Здравствуйте!');
  expect(m.html).toContain('Бронь мест закончилась');
  expect(m.text).toMatch(/Итого: 3\s800,50\s₽/);
  expect(m.html).toContain('Вернуться к заказу');
  expect(m.html).toContain('Отписаться от напоминаний');
  expect(m.html).toContain('<html lang="ru" ');
});

test('each step has its own wording; the last one says tickets may sell out; later steps reuse it', () => {
  const subjects = [0, 1, 2].map((step) => renderReminderEmail(input({ step })).subject);
  expect(new Set(subjects).size).toBe(3);
  expect(renderReminderEmail(input({ step: 2 })).text).toContain('may sell out');
  expect(renderReminderEmail(input({ step: 2, locale: 'ru' })).text).toContain('могут скоро закончиться');
  expect(renderReminderEmail(input({ step: 4 })).subject).toBe(subjects[2]);
});

test('a discount says the link applies it, with its expiry, and asks for no code (there is nowhere to type one)', () => {
  const discount = { code: 'RABC123', label: '10%', expiresAt: '2026-12-04T20:59:00.000Z' };
  const en = renderReminderEmail(input({ discount }));
  expect(en.html).toContain('A little gift: 10% off, applied when you return to your order with the button below. Valid until 4 December 2026.');
  expect(en.text).toContain('applied when you return to your order');
  const ru = renderReminderEmail(input({ discount, locale: 'ru' }));
  expect(ru.text).toContain('скидка 10% — она применится, когда вы вернётесь к заказу по кнопке ниже. Действует до 4 декабря 2026 г.');
  for (const m of [en, ru]) {
    expect(m.html).not.toContain('RABC123');
    expect(m.text).not.toContain('RABC123');
    expect(m.text).not.toMatch(/\bcode\b|по коду/i);
  }
});

test('Russian wording quotes the event title as a name, never in a case of its own', () => {
  const ru = MAIL_STRINGS.ru.steps.flatMap((s) => [s.subject, s.intro]);
  for (const s of ru) {
    for (const m of s.matchAll(/\{\{event\}\}/g)) {
      // «{{event}}» at the start or after a colon or question mark, followed by a comma or stop.
      expect(s.slice(m.index - 1, m.index + 10), s).toBe('«{{event}}»');
      expect(m.index === 1 || /[:?] «$/.test(s.slice(0, m.index)), s).toBe(true);
      expect(s.slice(m.index + 10), s).toMatch(/^[,.]/);
    }
  }
  const titles = [0, 1, 2].map((step) => renderReminderEmail(input({ locale: 'ru', step, event: { ...input().event, title: 'Чайка' } })));
  expect(titles.map((m) => m.subject)).toEqual([
    'Вы оставили билеты: «Чайка», 5 декабря в 19:00',
    'Ещё думаете? «Чайка», 5 декабря в 19:00',
    'Последнее напоминание: «Чайка», 5 декабря в 19:00',
  ]);
  expect(titles[0]!.text).toContain('Ваши места ждут в корзине: «Чайка», Main stage.');
});

test("the organizer's wording replaces ours, with variables filled in", () => {
  const m = renderReminderEmail(
    input({
      discount: { code: 'GIFT', label: '300 ₽', expiresAt: '2026-12-04T20:59:00.000Z' },
      custom: {
        subject: '{{ name }}, {{event}} — {{discount}} off',
        body: 'Dear {{name}},\nsee you at {{venue}} on {{date}}.\n\nTotal {{total}}, code {{discount_code}}. {{organizer}}',
      },
    }),
  );
  expect(m.subject).toBe('Anna, Hamlet — 300 ₽ off');
  expect(m.html).toContain('Dear Anna,<br>see you at Main stage on 5 December at 19:00.</p>');
  expect(m.html).toContain('Total ₽3,800.50, code GIFT. Globe Theatre</p>');
  expect(m.html).not.toContain('Hello, Anna!');
  expect(m.text).toContain('Dear Anna,\nsee you at Main stage');
});

test('hostile organizer and event text stays text in HTML, plain text and subject', () => {
  const m = renderReminderEmail(
    input({
      organizer: { name: XSS, accentColor: 'red;background:url(javascript:alert(1))', supportEmail: null, supportPhone: XSS },
      event: { title: XSS, venue: XSS, timeZone: 'Europe/Moscow', currency: 'RUB' },
      buyerName: XSS,
      items: [{ name: XSS, quantity: 1, lineTotal: 100 }],
      discount: { code: XSS, label: XSS, expiresAt: '2026-12-04T20:59:00.000Z' },
      custom: { subject: '{{event}} "quoted"\r\nBcc: victim@example.com', body: `${XSS}\n{{event}} {{organizer}}` },
      resumeUrl: 'javascript:alert(1)',
    }),
  );
  expectNoActiveContent(m.html);
  expect(m.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
  expect(m.html).not.toMatch(/href="javascript:/i);
  expect(m.html).toContain('border-top:6px solid #8b1e3f');
  expect(m.subject).not.toMatch(/[\r\n]/);
  expect(m.text).toContain(XSS); // plain text is text: shown literally, never interpreted
});

test('built-in wording only uses known variables', () => {
  for (const t of Object.values(MAIL_STRINGS)) {
    for (const s of [...t.steps.flatMap((x) => [x.subject, x.intro]), t.greeting, t.greetingNoName]) expect(validateTemplate(s)).toEqual({ ok: true });
  }
});

describe('validateTemplate', () => {
  test('accepts plain text, every documented variable, and single braces', () => {
    expect(validateTemplate('No variables at all { }')).toEqual({ ok: true });
    expect(validateTemplate(TEMPLATE_VARIABLES.map((v) => `{{${v.name}}}`).join(' '))).toEqual({ ok: true });
    expect(validateTemplate('{{ name }}')).toEqual({ ok: true });
  });
  test('names an unknown variable and where it is', () => {
    const r = validateTemplate('Hi {{nmae}}!');
    expect(r).toMatchObject({ ok: false, index: 3 });
    expect(!r.ok && r.message).toMatch(/Unknown variable \{\{nmae\}\}.*\{\{name\}\}/);
    expect(validateTemplate('{{}}')).toMatchObject({ ok: false, message: expect.stringMatching(/Unknown variable \{\{\}\}/) });
  });
  test('rejects unbalanced braces', () => {
    expect(validateTemplate('Hi {{name')).toMatchObject({ ok: false, index: 3, message: expect.stringMatching(/not closed/) });
    expect(validateTemplate('Hi name}}')).toMatchObject({ ok: false, index: 7, message: expect.stringMatching(/no opening/) });
    expect(validateTemplate('{{name {{event}}')).toMatchObject({ ok: false, index: 0 });
  });
  test('an invalid template stored before validation falls back to the built-in wording', () => {
    expect(renderReminderEmail(input({ custom: { subject: 'Hi {{nmae}}' } })).subject).toBe('You left tickets for Hamlet on 5 December at 19:00');
  });
});

/** The inline colour declared for the element whose opening tag contains `marker`. */
function colourIn(html: string, marker: RegExp, declaration = 'color:'): string {
  const tag = html.match(marker)?.[0];
  if (!tag) throw new Error(`no tag matching ${marker}`);
  const value = tag.match(new RegExp(`(?:^|[;"\\s])${declaration}(#[0-9a-f]{6})`, 'i'))?.[1];
  if (!value) throw new Error(`no ${declaration} in ${tag}`);
  return value;
}

describe.each(['#fff59d', '#2ecc71', '#e67e22', '#8b1e3f', '#000000', '#ffffff'])('accent %s', (accent) => {
  const m = renderReminderEmail(
    input({ organizer: { ...input().organizer, accentColor: accent }, discount: { code: 'R1', label: '10%', expiresAt: '2026-12-04T20:59:00.000Z' } }),
  );

  test('the button keeps the accent, with text on it at 4.5:1, in Outlook (VML) and elsewhere', () => {
    const link = m.html.match(/<a href="https:\/\/theatre\.example\/hamlet\?encore_resume=abc" style="display:inline-block[^"]*"/)![0];
    expect(colourIn(link, /.*/, 'background:')).toBe(accent);
    expect(contrastRatio(colourIn(link, /.*/), accent)).toBeGreaterThanOrEqual(4.5);
    const vml = m.html.match(/<!--\[if mso\]><v:roundrect [^>]*>.*?<\/v:roundrect><!\[endif\]-->/)![0];
    expect(vml).toContain('href="https://theatre.example/hamlet?encore_resume=abc"');
    expect(vml).toContain(`fillcolor="${accent}"`);
    expect(contrastRatio(colourIn(vml, /<center style="[^"]*"/), accent)).toBeGreaterThanOrEqual(4.5);
    // Other clients skip the VML and show the link; Outlook skips the link.
    expect(m.html).toMatch(/<!--\[if !mso\]><!-->\s*<a href="https:\/\/theatre\.example\/hamlet\?encore_resume=abc"/);
    // A light accent gets a darker edge so the button shows on white.
    expect(contrastRatio(colourIn(m.html, /<td align="center" bgcolor="[^"]*" style="[^"]*"/, 'border:1px solid '), '#ffffff')).toBeGreaterThanOrEqual(3);
  });

  test('text in the accent (the organizer line, the link under the button) 4.5:1 on white; footer too', () => {
    expect(contrastRatio(colourIn(m.html, /<td style="padding:24px 32px 8px[^"]*"/), '#ffffff')).toBeGreaterThanOrEqual(4.5);
    expect(
      contrastRatio(colourIn(m.html, /<a href="https:\/\/theatre\.example\/hamlet\?encore_resume=abc" style="color[^"]*"/), '#ffffff'),
    ).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(colourIn(m.html, /<td style="padding:16px 32px 24px[^"]*"/), '#ffffff')).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(colourIn(m.html, /<p style="margin:14px 0 0[^"]*"/), '#ffffff')).toBeGreaterThanOrEqual(4.5);
    // Every other text colour sits on the white card (the button's own are checked above).
    const onCard = (m.html.match(/<(?!center)[a-z]+ [^>]*style="[^"]*"/g) ?? []).filter((tag) => !/background:/.test(tag));
    for (const tag of onCard) {
      const c = tag.match(/[;"]color:(#[0-9a-f]{6})/i)?.[1];
      if (c) expect(contrastRatio(c, '#ffffff'), tag).toBeGreaterThanOrEqual(4.5);
    }
  });
});

test('the box-office phone and email do not wrap: nowrap, and non-breaking spaces in the number', () => {
  const m = renderReminderEmail(input());
  expect(m.html).toMatch(/<a href="tel:\+74950000000" style="[^"]*white-space:nowrap[^"]*">\+7&nbsp;495&nbsp;000-00-00<\/a>/);
  expect(m.html).toMatch(/<a href="mailto:help@globe\.example" style="[^"]*white-space:nowrap[^"]*">/);
});

test('the sender is the organizer, replies go to its support email, and the unsubscribe headers match the footer link', () => {
  const m = renderReminderEmail(input());
  expect(m.sender).toEqual({ name: 'Globe Theatre', replyTo: 'help@globe.example' });
  expect(m.headers).toEqual({ 'List-Unsubscribe': '<https://tickets.example/u/xyz>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' });
  expect(renderReminderEmail(input({ organizer: { ...input().organizer, supportEmail: null } })).sender.replyTo).toBeNull();
});

// The embed code's inline element carries the site's own fallback words with the box office
// linked, and the same contacts as data-encore-support-* for the widget's own message.
import { expect, test } from 'vitest';
import { consoleWorld, eventThroughApi } from '../support/console-world.ts';

test('the inline snippet holds fallback content with the box office linked, in the default locale', async () => {
  const w = await consoleWorld();
  const a = await w.organizer('Riverside');
  const { client } = await w.signIn(a.email, a.password);
  await eventThroughApi(client, w.clock, 'hamlet');
  await client('PATCH', '/settings', { widget: { supportPhone: '+7 (495) 123-45-67', supportEmail: 'box.office@theatre.example', defaultLocale: 'en' } });

  const { inline, button } = (await client('GET', '/snippet?event=hamlet')).body;
  expect(inline).toContain(
    '<div data-encore-event="hamlet" data-encore-support-phone="+7 (495) 123-45-67" data-encore-support-email="box.office@theatre.example">\n',
  );
  expect(inline).toContain(
    '<p>If the tickets do not appear, buy them from the box office: <a href="tel:+74951234567">+7 (495) 123-45-67</a>, ' +
      '<a href="mailto:box.office@theatre.example">box.office@theatre.example</a>.</p>\n</div>\n',
  );
  expect(inline).toContain('<!-- Shown while the tickets load, and if they cannot: put anything you like here. -->');
  expect(button).toContain(
    '<button data-encore-event="hamlet" data-encore-mode="button" data-encore-support-phone="+7 (495) 123-45-67" data-encore-support-email="box.office@theatre.example">Buy tickets</button>',
  );
});

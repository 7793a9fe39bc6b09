// The built-in wording of reminder emails, one table per locale. Subjects and intros use the
// same {{variables}} as an organizer's own wording (see templates.ts), so they go through the
// same escaping. A series longer than three steps reuses the last step's wording.
// Russian quotes the event title as a name, «Чайка», where it needs no case of its own (after a
// colon, before a comma): a title in a preposition's case would need declining («на Чайку»).
// The discount is applied by the link; there is nowhere to type a code yet, so none is offered.
export type MailLocale = 'ru' | 'en';

export interface MailStrings {
  intl: string;
  steps: { subject: string; intro: string }[];
  /** Every step of a series for a cart whose payment did not go through. */
  payment: { subject: string; intro: string };
  greeting: string;
  greetingNoName: string;
  nameFallback: string;
  yourOrder: string;
  total: string;
  held: string;
  released: string;
  button: string;
  buttonFallback: string;
  discount: (label: string, until: string) => string;
  whyThisEmail: (organizer: string) => string;
  questions: string;
  unsubscribe: string;
}

export const MAIL_STRINGS: Record<MailLocale, MailStrings> = {
  en: {
    intl: 'en-GB',
    steps: [
      {
        subject: 'You left tickets for {{event}} on {{date}}',
        intro: 'Your seats for {{event}} at {{venue}} are waiting in your basket. Finishing the order takes a minute — everything is just as you left it.',
      },
      {
        subject: 'Still thinking about {{event}}?',
        intro: 'The curtain rises on {{date}}. Your selection is saved — come back whenever you are ready.',
      },
      {
        subject: 'Last call for {{event}} on {{date}}',
        intro: 'Tickets for {{event}} on {{date}} may sell out soon. This is our last reminder — if you would like to be there, now is the time.',
      },
    ],
    payment: {
      subject: 'Your payment did not go through — tickets for {{event}} on {{date}} are still available',
      intro:
        'Your payment for {{event}} at {{venue}} did not go through, so no tickets were issued and no money was taken. The tickets can still be bought: the button brings your order back, we check the seats are still free, and you can pay again.',
    },
    greeting: 'Hello, {{name}}!',
    greetingNoName: 'Hello!',
    nameFallback: 'friend',
    yourOrder: 'Your order',
    total: 'Total',
    held: 'We are still holding these seats for you, but not for long.',
    released: 'Your hold has ended, but you can choose the seats again — we will check they are still free.',
    button: 'Return to your order',
    buttonFallback: 'If the button does not work, open this link:',
    discount: (label, until) => `A little gift: ${label} off, applied when you return to your order with the button below. Valid until ${until}.`,
    whyThisEmail: (organizer) => `You are receiving this because you started an order with ${organizer}.`,
    questions: 'Questions?',
    unsubscribe: 'Unsubscribe from these reminders',
  },
  ru: {
    intl: 'ru-RU',
    steps: [
      {
        subject: 'Вы оставили билеты: «{{event}}», {{date}}',
        intro: 'Ваши места ждут в корзине: «{{event}}», {{venue}}. Оформить заказ — минута: всё так, как вы оставили.',
      },
      {
        subject: 'Ещё думаете? «{{event}}», {{date}}',
        intro: 'Занавес поднимется {{date}}. Ваш выбор сохранён — возвращайтесь, когда будете готовы.',
      },
      {
        subject: 'Последнее напоминание: «{{event}}», {{date}}',
        intro: 'Билеты могут скоро закончиться: «{{event}}», {{date}}. Это наше последнее письмо — если хотите пойти, сейчас самое время.',
      },
    ],
    payment: {
      subject: 'Оплата не прошла — билеты ещё можно купить: «{{event}}», {{date}}',
      intro:
        'Оплата заказа не прошла: «{{event}}», {{venue}}. Билеты не выписаны, деньги не списаны. Билеты ещё можно купить — кнопка вернёт ваш заказ, мы проверим, что места свободны, и вы сможете оплатить снова.',
    },
    greeting: 'Здравствуйте, {{name}}!',
    greetingNoName: 'Здравствуйте!',
    nameFallback: 'друг',
    yourOrder: 'Ваш заказ',
    total: 'Итого',
    held: 'Мы пока держим для вас эти места, но недолго.',
    released: 'Бронь мест закончилась, но их можно выбрать снова — мы проверим, что они ещё свободны.',
    button: 'Вернуться к заказу',
    buttonFallback: 'Если кнопка не работает, откройте ссылку:',
    discount: (label, until) =>
      `Небольшой подарок: скидка ${label} — она применится, когда вы вернётесь к заказу по кнопке ниже. Действует до ${until}${until.endsWith('.') ? '' : '.'}`,
    whyThisEmail: (organizer) => `Вы получили это письмо, потому что начали оформлять заказ: ${organizer}.`,
    questions: 'Вопросы?',
    unsubscribe: 'Отписаться от напоминаний',
  },
};

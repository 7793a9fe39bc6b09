// The wording of the ticket documents, the order page and the order emails, ru and en. Organizer
// text (titles, venue, names) arrives as data and is escaped where it is shown, never here.
import type { OrderStatus } from '../platform/db/schema.ts';

export type TicketLocale = 'ru' | 'en';
export type OrderMailKind = 'confirmation' | 'cancelled' | 'expired' | 'refunded';

export interface TicketStrings {
  intl: string;
  /** The name of this language, for the other language's switch. */
  language: string;
  heading: Record<OrderStatus, string>;
  /** What the state means for the tickets; `until` is the reservation's end (may be empty). */
  note: Record<OrderStatus, (until: string) => string>;
  order: string;
  ticket: string;
  buyer: string;
  when: string;
  where: string;
  total: string;
  code: string;
  download: string;
  addToCalendar: string;
  whatToBring: string;
  boxOffice: string;
  refund: string;
  orderPage: string;
  pageFallback: string;
  notFound: string;
  notFoundText: string;
  greeting: (name: string) => string;
  subject: Record<OrderMailKind | 'reservation', (event: string, date: string, number: string) => string>;
  intro: Record<OrderMailKind | 'reservation', string>;
  attached: string;
}

export const TICKET_STRINGS: Record<TicketLocale, TicketStrings> = {
  en: {
    intl: 'en-GB',
    language: 'English',
    heading: {
      paid: 'Your tickets',
      reserved: 'Your reservation',
      pending_payment: 'Waiting for your payment',
      cancelled: 'This order was cancelled',
      expired: 'This order has expired',
      refunded: 'This order was refunded',
    },
    note: {
      paid: () => 'Show the QR code at the entrance, on your phone or printed. Each code admits one person once.',
      reserved: (until) =>
        `Reserved, not paid yet: pay at the box office${until ? ` before ${until}` : ' before the performance'}. The tickets are valid once paid; give the box office your order number.`,
      pending_payment: () => 'Your tickets appear here as soon as the payment is confirmed.',
      cancelled: () => 'Its tickets are no longer valid.',
      expired: () => 'It was not paid in time, so its tickets are no longer valid.',
      refunded: () => 'The money goes back the way it was paid. Its tickets are no longer valid.',
    },
    order: 'Order',
    ticket: 'Ticket',
    buyer: 'Name',
    when: 'When',
    where: 'Where',
    total: 'Total',
    code: 'Ticket code',
    download: 'Download tickets (PDF)',
    addToCalendar: 'Add to calendar',
    whatToBring: 'What to bring: the QR codes (on your phone or printed). One code admits one person, once.',
    boxOffice: 'Box office',
    refund: 'To return tickets, contact the box office with your order number before the performance.',
    orderPage: 'Your tickets online',
    pageFallback: 'Your order page:',
    notFound: 'Order not found',
    notFoundText: 'This link does not open an order. Please check the link in your email.',
    greeting: (name) => (name ? `Hello, ${name}!` : 'Hello!'),
    subject: {
      confirmation: (event, date) => `Your tickets: ${event}, ${date}`,
      reservation: (event, date) => `Your reservation: ${event}, ${date}`,
      cancelled: (_e, _d, number) => `Order ${number} has been cancelled`,
      expired: (_e, _d, number) => `Order ${number} has expired`,
      refunded: (_e, _d, number) => `Order ${number} has been refunded`,
    },
    intro: {
      confirmation: 'Thank you for your order! Your tickets are below and attached as a PDF, with a calendar event.',
      reservation: 'Your tickets are reserved. Pay at the box office to make them valid: they are attached as a PDF, with a calendar event.',
      cancelled: 'Your order has been cancelled and its tickets are no longer valid.',
      expired: 'Your order was not paid in time. Its seats have been released and its tickets are not valid.',
      refunded: 'Your order has been refunded: the money goes back the way it was paid. Its tickets are no longer valid.',
    },
    attached: 'Attached: tickets (PDF) and a calendar event (.ics).',
  },
  ru: {
    intl: 'ru-RU',
    language: 'Русский',
    heading: {
      paid: 'Ваши билеты',
      reserved: 'Ваша бронь',
      pending_payment: 'Ждём оплату',
      cancelled: 'Заказ отменён',
      expired: 'Срок заказа истёк',
      refunded: 'Деньги за заказ возвращены',
    },
    note: {
      paid: () => 'Покажите QR-код на входе — на телефоне или распечатанным. Каждый код пропускает одного человека один раз.',
      reserved: (until) =>
        `Билеты забронированы, но ещё не оплачены: оплатите их в кассе${until ? ` до ${until}` : ' до начала спектакля'}. Билеты действительны после оплаты — назовите в кассе номер заказа.`,
      pending_payment: () => 'Билеты появятся здесь, как только оплата будет подтверждена.',
      cancelled: () => 'Билеты заказа недействительны.',
      expired: () => 'Заказ не был оплачен вовремя, его билеты недействительны.',
      refunded: () => 'Деньги вернутся тем же способом, которым были оплачены. Билеты заказа недействительны.',
    },
    order: 'Заказ',
    ticket: 'Билет',
    buyer: 'Имя',
    when: 'Когда',
    where: 'Где',
    total: 'Итого',
    code: 'Код билета',
    download: 'Скачать билеты (PDF)',
    addToCalendar: 'Добавить в календарь',
    whatToBring: 'Что взять с собой: QR-коды билетов (на телефоне или распечатанные). Один код пропускает одного человека один раз.',
    boxOffice: 'Касса',
    refund: 'Чтобы вернуть билеты, обратитесь в кассу до начала спектакля и назовите номер заказа.',
    orderPage: 'Билеты онлайн',
    pageFallback: 'Страница заказа:',
    notFound: 'Заказ не найден',
    notFoundText: 'По этой ссылке нет заказа. Проверьте ссылку в письме.',
    greeting: (name) => (name ? `Здравствуйте, ${name}!` : 'Здравствуйте!'),
    subject: {
      confirmation: (event, date) => `Ваши билеты: «${event}», ${date}`,
      reservation: (event, date) => `Ваша бронь: «${event}», ${date}`,
      cancelled: (_e, _d, number) => `Заказ ${number} отменён`,
      expired: (_e, _d, number) => `Срок заказа ${number} истёк`,
      refunded: (_e, _d, number) => `Деньги за заказ ${number} возвращены`,
    },
    intro: {
      confirmation: 'Спасибо за заказ! Ваши билеты — ниже и во вложении (PDF), там же событие для календаря.',
      reservation: 'Билеты забронированы. Оплатите их в кассе, чтобы они стали действительны; билеты — во вложении (PDF), там же событие для календаря.',
      cancelled: 'Ваш заказ отменён, его билеты недействительны.',
      expired: 'Заказ не был оплачен вовремя. Места освобождены, билеты недействительны.',
      refunded: 'Деньги за заказ возвращены тем же способом, которым он был оплачен. Билеты заказа недействительны.',
    },
    attached: 'Во вложении: билеты (PDF) и событие для календаря (.ics).',
  },
};

export const ticketLocale = (value: string | null | undefined): TicketLocale => (value === 'en' ? 'en' : 'ru');

// Every visible word, one table per locale. Organizer overrides (buttonTexts, consentText) are
// applied by the widget model on top of these.
import type { Locale } from '../server/contracts.ts';
import type { FailureCode } from './api.ts';
import type { ResumeNotice } from './models/widget.ts';

const en = {
  open: 'Buy tickets',
  loading: 'Loading…',
  close: 'Close',
  chooseDate: 'Choose a date',
  noDates: 'No performances are on sale right now.',
  soldOut: 'Sold out',
  tickets: 'Tickets',
  left: (n: number) => `${n} left`,
  free: 'Free',
  add: (name: string) => `Add one ${name} ticket`,
  remove: (name: string) => `Remove one ${name} ticket`,
  quantityOf: (name: string) => `${name} tickets`,
  total: 'Total',
  continue: 'Continue',
  back: 'Change tickets',
  details: 'Your details',
  email: 'Email',
  name: 'Full name',
  phone: 'Phone',
  optional: '(optional)',
  consent: 'Remind me by email if I do not finish buying',
  notice: 'If you do not finish buying, we may send one reminder to this address.',
  checkout: 'Confirm order',
  held: 'Tickets held for',
  minutesLeft: (n: number) => `${n} minutes left to finish your order`,
  oneMinuteLeft: 'One minute left to finish your order',
  expired: 'Your hold has expired. The tickets may still be free.',
  rehold: 'Hold them again',
  thanks: 'Thank you! Your order is confirmed.',
  orderNumber: 'Order number',
  payAtBoxOffice: 'Pay at the box office before the performance.',
  buyMore: 'Buy more tickets',
  retry: 'Try again',
  help: 'Need help?',
  discount: 'Discount',
  applied: 'applied.',
  heldOf: (name: string, held: number, of: number) => `${name} — ${held} of ${of} held.`,
  otherDates: 'Other dates with these tickets:',
  resume: {
    restored: 'Welcome back — your tickets are held again.',
    partly_unavailable: 'Some tickets are no longer available:',
    unavailable: 'These tickets are no longer available.',
    completed: 'You have already bought these tickets.',
    expired: 'This link has expired. You can pick tickets again below.',
  } as Record<Exclude<ResumeNotice['state'], 'event_over'>, string>,
  errors: {
    NETWORK: 'We could not reach the ticket service. Check your connection and try again.',
    SERVER: 'The ticket service is having trouble. Please try again in a minute.',
    SOLD_OUT: 'Sorry, there are not that many tickets left. Please choose fewer.',
    QUANTITY_LIMIT: 'That number of tickets is not allowed for this ticket type.',
    SALES_CLOSED: 'Sales for this performance have closed.',
    HOLD_EXPIRED: 'Your hold expired and the tickets were taken. Please choose again.',
    CART_COMPLETED: 'This order is already complete.',
    NOT_FOUND: 'This order can no longer be continued. Please start again.',
    ORIGIN_NOT_ALLOWED: 'Ticket sales are not enabled on this website.',
    VALIDATION: 'Please check what you entered.',
    email: 'Please enter a valid email address.',
    name: 'Please enter your name.',
    phoneInvalid: 'Phone numbers may contain digits, spaces, ( ) - and a leading +.',
    other: 'Something went wrong. Please try again.',
  } as Partial<Record<FailureCode, string>> & Record<'email' | 'name' | 'phoneInvalid' | 'other', string>,
};

export type Strings = typeof en;

const ru: Strings = {
  open: 'Купить билеты',
  loading: 'Загрузка…',
  close: 'Закрыть',
  chooseDate: 'Выберите дату',
  noDates: 'Сейчас нет спектаклей в продаже.',
  soldOut: 'Билетов нет',
  tickets: 'Билеты',
  left: (n) => `осталось ${n}`,
  free: 'Бесплатно',
  add: (name) => `Добавить один билет «${name}»`,
  remove: (name) => `Убрать один билет «${name}»`,
  quantityOf: (name) => `Билеты «${name}»`,
  total: 'Итого',
  continue: 'Продолжить',
  back: 'Изменить билеты',
  details: 'Ваши данные',
  email: 'Эл. почта',
  name: 'Имя и фамилия',
  phone: 'Телефон',
  optional: '(необязательно)',
  consent: 'Напомнить мне письмом, если я не завершу покупку',
  notice: 'Если вы не завершите покупку, мы можем прислать одно напоминание на этот адрес.',
  checkout: 'Оформить заказ',
  held: 'Билеты забронированы на',
  minutesLeft: (n) => `Осталось минут до конца брони: ${n}`,
  oneMinuteLeft: 'До конца брони осталась одна минута',
  expired: 'Бронь истекла. Билеты, возможно, ещё свободны.',
  rehold: 'Забронировать снова',
  thanks: 'Спасибо! Заказ оформлен.',
  orderNumber: 'Номер заказа',
  payAtBoxOffice: 'Оплатите заказ в кассе до начала спектакля.',
  buyMore: 'Купить ещё',
  retry: 'Повторить',
  help: 'Нужна помощь?',
  discount: 'Скидка',
  applied: 'применена.',
  heldOf: (name, held, of) => `«${name}» — забронировано ${held} из ${of}.`,
  otherDates: 'Эти билеты есть на другие даты:',
  resume: {
    restored: 'С возвращением! Билеты снова забронированы.',
    partly_unavailable: 'Некоторых билетов больше нет:',
    unavailable: 'Этих билетов больше нет.',
    completed: 'Вы уже купили эти билеты.',
    expired: 'Ссылка устарела. Выберите билеты заново ниже.',
  },
  errors: {
    NETWORK: 'Не удалось связаться с билетной системой. Проверьте подключение к интернету и попробуйте ещё раз.',
    SERVER: 'В билетной системе сбой. Попробуйте ещё раз через минуту.',
    SOLD_OUT: 'К сожалению, столько билетов уже нет. Выберите меньше.',
    QUANTITY_LIMIT: 'Столько билетов этого типа в одном заказе купить нельзя.',
    SALES_CLOSED: 'Продажа билетов на этот спектакль закрыта.',
    HOLD_EXPIRED: 'Бронь истекла, и билеты уже купили. Выберите билеты заново.',
    CART_COMPLETED: 'Этот заказ уже оформлен.',
    NOT_FOUND: 'Этот заказ уже нельзя продолжить. Начните заново.',
    ORIGIN_NOT_ALLOWED: 'Продажа билетов на этом сайте не подключена.',
    VALIDATION: 'Проверьте введённые данные.',
    email: 'Введите правильный адрес эл. почты.',
    name: 'Введите имя.',
    phoneInvalid: 'Номер может содержать цифры, пробелы, ( ) - и + в начале.',
    other: 'Что-то пошло не так. Попробуйте ещё раз.',
  },
};

const tables: Record<Locale, Strings> = { en, ru };

export const strings = (locale: Locale): Strings => tables[locale];

const pick = (value: string | null | undefined): Locale | null => {
  const prefix = value?.slice(0, 2).toLowerCase();
  return prefix === 'ru' || prefix === 'en' ? prefix : null;
};

/**
 * data-encore-locale, then the page's <html lang>, then the browser. Null means "ask the
 * organizer's defaultLocale", known only once the event has loaded.
 */
export function detectLocale(explicit?: string | null): Locale | null {
  return pick(explicit) ?? pick(document.documentElement.lang) ?? pick(navigator.language);
}

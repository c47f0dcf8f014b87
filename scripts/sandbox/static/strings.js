// The page's own words, in the language of the persona being played (the bot's texts come from the bot).

const STRINGS = {
  ru: {
    title: "Емхана · песочница",
    subtitle: "Бот работает локально, без Telegram",
    personas_hint:
      "У каждого свой чат с ботом. Рассылки приходят в чаты всех персонажей; кто ещё не выбрал язык, получает их на языке своего Telegram (казахском или русском).",
    bot: "бот",
    typing: "печатает…",
    upload_photo: "отправляет фото…",
    upload_document: "отправляет файл…",
    you_are: "Вы пишете как",
    message: "Сообщение",
    menu: "Меню",
    start: "ЗАПУСТИТЬ",
    empty: "Бот ещё ничего не писал. Нажмите «Запустить».",
    photo: "Фото",
    document: "Документ",
    location: "Геопозиция",
    location_title: "Отправить геопозицию",
    location_pick: "Выберите точку",
    location_typed: "Или введите координаты",
    latitude: "Широта",
    longitude: "Долгота",
    send: "Отправить",
    cancel: "Отмена",
    edited: "изменено",
    contact: "Контакт",
    keyboard: "Клавиатура бота",
    no_answer: "Бот не ответил на нажатие",
    failed: "Не получилось",
    offline: "Нет связи с песочницей — переподключаюсь…",
    roles: { citizen: "гражданин", support: "поддержка", operator: "оператор", admin: "администратор" },
    unsupported: "В песочнице эта кнопка не работает",
    copied: "Скопировано",
  },
  kk: {
    title: "Емхана · сынақ алаңы",
    subtitle: "Бот Telegram-сыз, осы компьютерде жұмыс істейді",
    personas_hint:
      "Әркімнің ботпен өз чаты бар. Таратылым барлық кейіпкерлердің чатына келеді; тілді әлі таңдамағандар оны өз Telegram-ының тілінде (қазақша немесе орысша) алады.",
    bot: "бот",
    typing: "жазып жатыр…",
    upload_photo: "фото жіберіп жатыр…",
    upload_document: "файл жіберіп жатыр…",
    you_are: "Сіз жазасыз:",
    message: "Хабарлама",
    menu: "Мәзір",
    start: "БАСТАУ",
    empty: "Бот әлі ештеңе жазған жоқ. «Бастау» батырмасын басыңыз.",
    photo: "Фото",
    document: "Құжат",
    location: "Геолокация",
    location_title: "Геолокация жіберу",
    location_pick: "Нүктені таңдаңыз",
    location_typed: "Немесе координаттарды енгізіңіз",
    latitude: "Ендік",
    longitude: "Бойлық",
    send: "Жіберу",
    cancel: "Болдырмау",
    edited: "өзгертілді",
    contact: "Байланыс",
    keyboard: "Бот пернетақтасы",
    no_answer: "Бот басуға жауап бермеді",
    failed: "Болмады",
    offline: "Сынақ алаңымен байланыс жоқ — қайта қосылып жатырмын…",
    roles: { citizen: "азамат", support: "қолдау", operator: "оператор", admin: "әкімші" },
    unsupported: "Бұл батырма сынақ алаңында жұмыс істемейді",
    copied: "Көшірілді",
  },
};

let current = "ru";

export function setLanguage(lang) {
  current = STRINGS[lang] ? lang : "ru";
  document.documentElement.lang = current;
}

export function language() {
  return current;
}

export function s(key) {
  return STRINGS[current][key];
}

export function roleName(role) {
  return STRINGS[current].roles[role] ?? role;
}

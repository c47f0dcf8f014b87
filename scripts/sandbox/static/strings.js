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
    link_button: "Открыть по ссылке",
    link_title: "Открыть по ссылке",
    link_hint:
      "Вставьте ссылку с плаката поликлиники или из /qr ({example}) или только код после start=. Бот получит /start с этим кодом — так Telegram открывает такие ссылки.",
    link_open: "Открыть",
    link_not_a_link: "Это не ссылка на Telegram-бота и не код после start=.",
    link_other_bot: "Ссылка ведёт к другому боту.",
    link_bad_payload: "Telegram не передаст такой код: только латиница, цифры, _ и -, до 64 знаков.",
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
    link_button: "Сілтеме арқылы ашу",
    link_title: "Сілтеме арқылы ашу",
    link_hint:
      "Емхана плакатындағы немесе /qr берген сілтемені ({example}) не start= кейінгі кодты ғана қойыңыз. Бот осы кодпен /start алады — Telegram мұндай сілтемелерді осылай ашады.",
    link_open: "Ашу",
    link_not_a_link: "Бұл Telegram-бот сілтемесі де, start= кейінгі код та емес.",
    link_other_bot: "Сілтеме басқа ботқа апарады.",
    link_bad_payload: "Telegram мұндай кодты жібермейді: тек латын әріптері, сандар, _ және -, 64 таңбаға дейін.",
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

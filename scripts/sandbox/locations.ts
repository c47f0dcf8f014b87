// Places to "share" from the page: a few landmarks in the three biggest cities, then the centre of every other
// city the shipped directory has clinics in (from the dataset itself, so a preset always finds clinics nearby).
import { readShippedDirectory } from "../../data/datasets/load-directory.js";

type Bilingual = { ru: string; kk: string };

export interface LocationPreset {
  /** Settlement id in the directory. */
  city: string;
  cityName: Bilingual;
  name: Bilingual;
  latitude: number;
  longitude: number;
}

const LANDMARKS: Record<string, Array<{ name: Bilingual; latitude: number; longitude: number }>> = {
  astana: [
    { name: { ru: "Байтерек", kk: "Бәйтерек" }, latitude: 51.1283, longitude: 71.4305 },
    { name: { ru: "Хан Шатыр", kk: "Хан Шатыр" }, latitude: 51.1326, longitude: 71.4036 },
    { name: { ru: "Вокзал Нурлы Жол", kk: "Нұрлы жол вокзалы" }, latitude: 51.1112, longitude: 71.5316 },
  ],
  almaty: [
    { name: { ru: "Площадь Республики", kk: "Республика алаңы" }, latitude: 43.2378, longitude: 76.9453 },
    { name: { ru: "Парк 28 панфиловцев", kk: "28 панфиловшы саябағы" }, latitude: 43.2587, longitude: 76.9536 },
    { name: { ru: "Вокзал Алматы-1", kk: "Алматы-1 вокзалы" }, latitude: 43.342, longitude: 76.95 },
  ],
};

const CENTRE: Bilingual = { ru: "Центр", kk: "Орталық" };
const FIRST = ["astana", "almaty", "shymkent"];

/** Cities the page lists: Astana, Almaty, Shymkent first, then regional centres with clinics, by Russian name. */
export function locationPresets(): LocationPreset[] {
  const { places, clinics } = readShippedDirectory();
  const withClinics = new Set(clinics.clinics.map((c) => c.settlement));
  const cities = places.regions
    .map((r) => r.settlements.find((s) => s.id === r.centre))
    .filter((s): s is NonNullable<typeof s> => s !== undefined && withClinics.has(s.id))
    .sort((a, b) => rank(a.id) - rank(b.id) || a.name.ru.localeCompare(b.name.ru, "ru"));
  return cities.flatMap((s) => {
    const points = LANDMARKS[s.id] ?? [{ name: CENTRE, latitude: s.lat, longitude: s.lon }];
    return points.map((p) => ({ city: s.id, cityName: s.name, ...p }));
  });
}

function rank(id: string): number {
  const i = FIRST.indexOf(id);
  return i < 0 ? FIRST.length : i;
}

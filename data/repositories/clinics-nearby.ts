import type { Db } from "../db.js";
import { baseQuery, toClinics, type NearbyClinic } from "./clinic-rows.js";

const EARTH_RADIUS_M = 6_371_008.8; // mean radius (IUGG)
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance in metres (haversine). */
export function distanceMeters(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const dLat = rad(b.lat - a.lat);
  const dLon = rad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * The n nearest active clinics to a point. The R*Tree finds candidates in a box that doubles until it holds n
 * clinics within its inscribed radius; exact distances are computed here, so the order is exact.
 */
export async function nearestClinics(
  db: Db,
  point: { lat: number; lon: number },
  n: number,
  opts: { settlementId?: string } = {},
): Promise<NearbyClinic[]> {
  if (n <= 0) return [];
  const maxRadius = 4_000_000; // wider than Kazakhstan
  for (let radius = 2_000; ; radius *= 2) {
    const dLat = (radius / EARTH_RADIUS_M) * (180 / Math.PI);
    const dLon = dLat / Math.max(Math.cos(rad(point.lat)), 0.01);
    let q = baseQuery(db)
      .innerJoin("clinics_geo", "clinics_geo.id", "clinics.seq")
      .where("clinics_geo.max_lat", ">=", point.lat - dLat)
      .where("clinics_geo.min_lat", "<=", point.lat + dLat)
      .where("clinics_geo.max_lon", ">=", point.lon - dLon)
      .where("clinics_geo.min_lon", "<=", point.lon + dLon)
      .where("clinics.active", "=", 1);
    if (opts.settlementId) q = q.where("clinics.settlement_id", "=", opts.settlementId);
    const rows = await q.execute();
    const measured = rows
      .map((r) => ({ row: r, d: distanceMeters(point, r) }))
      .sort((a, b) => a.d - b.d || a.row.id.localeCompare(b.row.id));
    // Only clinics within the circle are sure to be ranked right: one outside may lose to one outside the box.
    const sure = radius >= maxRadius ? measured : measured.filter((m) => m.d <= radius);
    if (sure.length >= n || radius >= maxRadius) {
      const top = sure.slice(0, n);
      const clinics = await toClinics(
        db,
        top.map((m) => m.row),
      );
      return clinics.map((c, i) => ({ ...c, distanceMeters: Math.round(top[i]?.d ?? 0) }));
    }
  }
}

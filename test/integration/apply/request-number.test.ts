import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDirectoryIfEmpty } from "../../../data/datasets/load-directory.js";
import { createRequest, requestYear, type NewRequest } from "../../../data/repositories/requests.js";
import { makeIin } from "../../../scripts/stack/people.js";
import { openTestDatabase, type TestDatabase } from "../../fixtures/database.js";
import { sampleRequest } from "../../fixtures/requests.js";
import { testVault } from "../../fixtures/vault.js";

const request = (iin: string, submittedAt: string, key: string): NewRequest =>
  sampleRequest({
    user_id: 4001,
    iin,
    submitted_at: submittedAt,
    decision_due: "2027-01-05",
    effective_from: null,
    source_key: key,
  });

describe("request numbers take the Almaty year (R17)", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase();
    await seedDirectoryIfEmpty(database.db);
  });
  afterAll(async () => {
    await database?.dispose();
  });

  it("R17: the year of an instant is Almaty's, UTC+5", () => {
    expect(requestYear("2026-12-31T18:59:59.999Z")).toBe(2026); // 23:59:59 on 31 December in Almaty
    expect(requestYear("2026-12-31T19:00:00.000Z")).toBe(2027); // 00:00 on 1 January in Almaty
    expect(requestYear("2027-01-01T04:59:00.000Z")).toBe(2027); // 09:59 in Almaty, same day in UTC
  });

  it("R17: a request filed at 00:30 on 1 January in Almaty (19:30 UTC on 31 December) is numbered in the new year", async () => {
    const late = await createRequest(
      { db: database.db, vault: testVault },
      request(makeIin("900101", 3, 401), "2026-12-31T18:30:00.000Z", "k1"),
      [],
    );
    const newYear = await createRequest(
      { db: database.db, vault: testVault },
      request(makeIin("900101", 3, 402), "2026-12-31T19:30:00.000Z", "k2"),
      [],
    );
    const dawn = await createRequest(
      { db: database.db, vault: testVault },
      request(makeIin("900101", 3, 403), "2026-12-31T23:59:00.000Z", "k3"),
      [],
    );
    expect(late.ok && late.request.number).toBe("A-2026-000001");
    // The new year's counter starts at 1.
    expect(newYear.ok && newYear.request.number).toBe("A-2027-000001");
    expect(dawn.ok && dawn.request.number).toBe("A-2027-000002");
  });
});

import { describe, expect, it } from "vitest";
import { courseInputSchema, freeSeatNumbers, registrationGate, seatsLeft, waitlistRank } from "../../src/domain/course.js";
import { statusRank } from "../../src/domain/registration.js";

const deadline = new Date("2026-03-01T10:00:00Z");

describe("registrationGate", () => {
  it("is open before and at the deadline", () => {
    expect(registrationGate({ status: "open", deadline }, new Date("2026-03-01T09:59:59Z"))).toEqual({ ok: true });
    expect(registrationGate({ status: "open", deadline }, deadline)).toEqual({ ok: true });
  });
  it("refuses after the deadline, and closed or cancelled courses", () => {
    expect(registrationGate({ status: "open", deadline }, new Date("2026-03-01T10:00:01Z"))).toEqual({ ok: false, refusal: "deadline_passed" });
    expect(registrationGate({ status: "closed", deadline }, new Date("2026-01-01T00:00:00Z"))).toEqual({ ok: false, refusal: "closed" });
    expect(registrationGate({ status: "cancelled", deadline }, new Date("2026-01-01T00:00:00Z"))).toEqual({ ok: false, refusal: "cancelled" });
  });
});

describe("seats and waitlist", () => {
  it("counts seats left, never below zero", () => {
    expect(seatsLeft(50, 12)).toBe(38);
    expect(seatsLeft(10, 12)).toBe(0);
  });
  it("lists free seat numbers", () => {
    expect(freeSeatNumbers(5, [2, 4])).toEqual([1, 3, 5]);
    expect(freeSeatNumbers(2, [1, 2, 3])).toEqual([]);
    // Capacity lowered below the seats held: seat 1 freed, but 2 are still held for 2 places.
    expect(freeSeatNumbers(2, [2, 3])).toEqual([]);
    expect(freeSeatNumbers(2, [3])).toEqual([1, 2]);
  });
  it("ranks a waiting person among those still waiting", () => {
    expect(waitlistRank([3, 5, 9], 9)).toBe(3);
    expect(waitlistRank([11, 12], 11)).toBe(1);
  });
  it("moves statuses only forward", () => {
    expect(statusRank("pending")).toBeLessThan(statusRank("waitlisted"));
    expect(statusRank("waitlisted")).toBeLessThan(statusRank("confirmed"));
    expect(statusRank("confirmed")).toBeLessThan(statusRank("cancelled"));
  });
});

describe("courseInputSchema", () => {
  const base = {
    title: { vi: "Khóa học 5S" },
    description: { vi: "Giới thiệu 5S" },
    startAt: "2026-03-10T01:00:00Z",
    endAt: "2026-03-10T09:00:00Z",
    place: "Nha Trang",
    capacity: 30,
    deadline: "2026-03-08T10:00:00Z",
    audience: ["workers"],
  };
  it("accepts a course and defaults status to open", () => {
    const parsed = courseInputSchema.parse(base);
    expect(parsed.status).toBe("open");
    expect(parsed.startAt).toBeInstanceOf(Date);
  });
  it("rejects an end before the start, a deadline after the start, no place nor link", () => {
    expect(courseInputSchema.safeParse({ ...base, endAt: "2026-03-09T00:00:00Z" }).success).toBe(false);
    expect(courseInputSchema.safeParse({ ...base, deadline: "2026-03-11T00:00:00Z" }).success).toBe(false);
    expect(courseInputSchema.safeParse({ ...base, place: undefined }).success).toBe(false);
    expect(courseInputSchema.safeParse({ ...base, place: undefined, onlineUrl: "https://meet.example.org/x" }).success).toBe(true);
    expect(courseInputSchema.safeParse({ ...base, capacity: 0 }).success).toBe(false);
  });
});

/**
 * Stable ids for the programme's vocabulary (seed: Khánh Hòa NSCL plan 2021–2025): the priority
 * sectors, the five groups of tasks and solutions, and enterprise sizes. Ids are stored in the
 * database and sent as button ids, so they never change; labels live in `locales/<lang>/policies.json`
 * under `sectors.<id>`, `groups.<id>` and `sizes.<id>`.
 */
import { z } from "zod";

/** The priority sectors the plan lists ("cụ thể gồm các ngành như…"), in the plan's order. */
export const PRIORITY_SECTOR_IDS = [
  /** Dịch vụ, du lịch */
  "services_tourism",
  /** Công nghiệp chế biến nông, lâm, thủy sản, chế biến thực phẩm */
  "agro_processing",
  /** Sản xuất thủy sản, hàng công nghiệp phục vụ tiêu dùng và xuất khẩu, hàng thay thế hàng nhập khẩu */
  "fishery_industrial_goods",
  /** Công nghiệp hóa chất phục vụ nông nghiệp, nông thôn */
  "agri_chemicals",
  /** Sản xuất vật liệu xây dựng */
  "building_materials",
  /** Sản xuất hàng tiểu thủ công nghiệp */
  "handicrafts",
] as const;

/** Every sector choice: the priority sectors plus `other` (the plan's list ends with "…"). */
export const SECTOR_IDS = [...PRIORITY_SECTOR_IDS, "other"] as const;

/** A sector answer as stored and sent as a choice id. */
export const sectorIdSchema = z.enum(SECTOR_IDS);
/** One of `SECTOR_IDS`. */
export type SectorId = z.infer<typeof sectorIdSchema>;
/** One of `PRIORITY_SECTOR_IDS`. */
export type PrioritySectorId = (typeof PRIORITY_SECTOR_IDS)[number];

/** The plan's five groups of tasks and solutions ("05 nhóm nhiệm vụ, giải pháp chính"), in its order. */
export const TASK_GROUP_IDS = [
  /** Triển khai, xây dựng cơ chế, chính sách thúc đẩy hoạt động nâng cao NSCL */
  "policy",
  /** Thông tin, tuyên truyền về nâng cao NSCL */
  "communication",
  /** Đào tạo, tập huấn về hoạt động nâng cao NSCL */
  "training",
  /** Hỗ trợ doanh nghiệp thực hiện các biện pháp để nâng cao NSCL */
  "enterprise_support",
  /** Tăng cường năng lực tư vấn, đánh giá sự phù hợp, đào tạo hỗ trợ cho hoạt động nâng cao NSCL */
  "capacity_building",
] as const;

/** A task-group id as stored and sent as a choice id. */
export const taskGroupIdSchema = z.enum(TASK_GROUP_IDS);
/** One of `TASK_GROUP_IDS`. */
export type TaskGroupId = z.infer<typeof taskGroupIdSchema>;

/** Enterprise sizes people pick from; the plan sets no size criteria, so these only shape wording. */
export const ENTERPRISE_SIZE_IDS = ["micro", "small", "medium", "large"] as const;

/** A size answer as stored and sent as a choice id. */
export const enterpriseSizeSchema = z.enum(ENTERPRISE_SIZE_IDS);
/** One of `ENTERPRISE_SIZE_IDS`. */
export type EnterpriseSize = z.infer<typeof enterpriseSizeSchema>;

/** Whether a sector is one the plan names as a priority. */
export function isPrioritySector(sector: SectorId): sector is PrioritySectorId {
  return PRIORITY_SECTOR_IDS.some((id) => id === sector);
}

import { closingRoute } from "@/lib/server/closing-route";

/** Reopens the event to new contributors (the creator, or whoever opened its admin link). */
export const POST = closingRoute(false);

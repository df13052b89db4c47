// Any /api path without a route of its own: a JSON 404, never an HTML page.
const notFound = () => Response.json({ error: { code: "not_found", message: "There is no such API endpoint." } }, { status: 404 });

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;

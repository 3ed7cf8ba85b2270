export const spec = { name: "orders" };

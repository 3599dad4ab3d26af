import { z } from "zod";
import { dateTimeOut } from "./common.ts";

export const usernameSchema = z
  .string()
  .trim()
  .min(2, "Usernames have at least 2 characters.")
  .max(40, "Usernames have at most 40 characters.")
  .regex(/^[A-Za-z0-9_.]+$/, "Usernames use letters, digits, dots and underscores.");

export const tokenRequestSchema = z.object({
  username: z.string().min(1, "Give your username."),
  password: z.string().min(1, "Give your password."),
});
export type TokenRequest = z.infer<typeof tokenRequestSchema>;

export const tokenResponseSchema = z.object({ token: z.string() });

export const apiTokenSchema = z.object({
  id: z.string(),
  createdAt: dateTimeOut,
  expiresAt: dateTimeOut,
  userAgent: z.string().nullable(),
  ipAddress: z.string().nullable(),
  current: z.boolean(),
});

export const passwordSchema = z.string().min(8, "Passwords have at least 8 characters.").max(128, "Passwords have at most 128 characters.");

export const signUpSchema = z.object({
  username: usernameSchema,
  fullName: z.string().trim().min(1, "Give your name.").max(120),
  email: z.email("Give a valid e-mail address."),
  password: passwordSchema,
});

/** "Forgot your password?": the address the reset link goes to. */
export const passwordResetRequestSchema = z.object({ email: z.email("Give a valid e-mail address.") });

/** Setting a new password with the token from a reset link; both fields must match. */
export const newPasswordSchema = z
  .object({ password: passwordSchema, confirm: z.string() })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "The two passwords differ." });

export const membershipRoleSchema = z.enum(["OWNER", "OFFICER", "MEMBER"]);

export const meSchema = z.object({
  id: z.string(),
  username: z.string(),
  fullName: z.string(),
  email: z.string(),
  /** Whether the address is confirmed (officers' e-mail blasts and linking a campus sign-in need it). */
  emailVerified: z.boolean(),
  isSiteAdmin: z.boolean(),
  clubs: z.array(z.object({ id: z.number(), code: z.string(), name: z.string(), role: membershipRoleSchema })),
});

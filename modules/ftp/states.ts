// Session states as numbers (what the session waits for), shared by the session and the command handlers.

export const LoginState = Object.freeze({ AwaitingUser: 0, AwaitingPassword: 1, LoggedIn: 2 } as const);
export type LoginState = (typeof LoginState)[keyof typeof LoginState];

/** The transfer a session is in, if any (from the transfer command until its final reply). */
export const Transfer = Object.freeze({ None: 0, Upload: 1, Send: 2 } as const);
export type Transfer = (typeof Transfer)[keyof typeof Transfer];

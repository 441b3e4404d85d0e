// The FTP connection's numeric enumerations, shared by the connection (connection.ts), its handlers and the verb
// table: what a connection waits for, and the rules a verb's row gives the gate.

export const LoginState = Object.freeze({ AwaitingUser: 0, AwaitingPassword: 1, LoggedIn: 2 } as const);
export type LoginState = (typeof LoginState)[keyof typeof LoginState];

/** The transfer a session is in, if any (from the transfer command until its final reply). */
export const Transfer = Object.freeze({ None: 0, Upload: 1, Send: 2 } as const);
export type Transfer = (typeof Transfer)[keyof typeof Transfer];

/** Who may run a verb: anyone, a logged-in user, or a logged-in user when it is given an argument (STAT <path>). */
export const LoginRule = Object.freeze({ NotNeeded: 0, Required: 1, ForArgument: 2 } as const);
export type LoginRule = (typeof LoginRule)[keyof typeof LoginRule];

export const ArgumentRule = Object.freeze({ Required: 0, Forbidden: 1, Optional: 2 } as const);
export type ArgumentRule = (typeof ArgumentRule)[keyof typeof ArgumentRule];

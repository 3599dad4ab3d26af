/** Who is calling: a signed-in person, a paired door device, or nobody. */
export interface UserActor {
  kind: "user";
  userId: string;
  username: string;
  fullName: string;
  email: string;
  isSiteAdmin: boolean;
  /** The session (browser cookie or API token) the request came with. */
  sessionId: string;
}

export interface DeviceActor {
  kind: "device";
  deviceId: string;
  clubId: number;
  showingIds: number[];
}

export type Actor = UserActor | DeviceActor | null;

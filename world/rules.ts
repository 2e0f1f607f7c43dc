import file from "./locations.json";

// Production's rules for the local world, from locations.json (a copy of the team's shared file, which
// fixes them with sources; change only with a source). Everything else in world/ reads them from here.

export interface LocationRules {
  name: string;
  what: string;
  client_to_edge: number;
  kv_hot_read: number;
  kv_cold_read: number;
  kv_write: number;
  d1_primary: number;
  d1_replica: number;
  durable_object: number;
}

export interface WorldRules {
  /** How long a location's KV cache keeps a value or an absence (KV's cacheTtl, 60 s). */
  propagationMs: number;
  /** Replicas show the primary's committed state as of this long ago. */
  replicaLagMs: number;
  /** A second write (put or delete) of one KV key within this many ms throws. */
  kvWriteGapMs: number;
  d1PrimaryLocation: string;
  doLocation: string;
  locations: LocationRules[];
  /** Round trips are paid (slept) when true; counted but free when false. */
  rtt: boolean;
  /** The single-origin peer's client-to-origin round trip per location, for comparisons. */
  peerClientToOrigin: Record<string, number>;
}

export interface WorldOverrides { propagationMs?: number; replicaLagMs?: number; rtt?: boolean }

export function worldRules(overrides: WorldOverrides = {}): WorldRules {
  return {
    propagationMs: overrides.propagationMs ?? file.propagation_ms,
    replicaLagMs: overrides.replicaLagMs ?? file.replica_lag_ms,
    kvWriteGapMs: file.kv_write_gap_ms,
    d1PrimaryLocation: file.d1_primary_location,
    doLocation: file.do_location,
    locations: file.locations,
    rtt: overrides.rtt ?? true,
    peerClientToOrigin: file.single_origin_peer.client_to_origin,
  };
}

/** The rules of one location; an unknown name throws (the router answers 400 before asking). */
export function locationRules(rules: WorldRules, name: string): LocationRules {
  const found = rules.locations.find((l) => l.name === name);
  if (!found) throw new Error(`unknown world location ${name}; known: ${rules.locations.map((l) => l.name).join(", ")}`);
  return found;
}

/** Waits a round trip when the world pays them; resolves at once when it only counts them. */
export const roundTrip = (rules: WorldRules, ms: number): Promise<void> =>
  (rules.rtt && ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve());

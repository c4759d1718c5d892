import type { RaidStartedEvent } from '@trustno1/contracts';

/** Discord's embed colour for an alert (red). */
export const RAID_ALERT_COLOR = 0xe74c3c;

export interface RaidAlertSubject {
  factionName: string;
  factionTag: string;
  event: RaidStartedEvent;
}

/** A Discord webhook message: `{content, embeds: [...]}`, mentions switched off. */
export interface DiscordMessage {
  content: string;
  embeds: {
    title: string;
    description: string;
    color: number;
    fields: { name: string; value: string; inline?: boolean }[];
    timestamp: string;
  }[];
  allowed_mentions: { parse: string[] };
}

/**
 * The alert a defending faction's webhook receives when one of its bases is raided. Faction names
 * are players' text, so `allowed_mentions` is empty: a name like "@everyone" pings no one.
 */
export function raidAlertMessage({ factionName, factionTag, event }: RaidAlertSubject): DiscordMessage {
  const { x, y, z } = event.position;
  const at = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : String(n));
  return {
    content: `[${factionTag}] ${factionName}: one of your bases is under attack!`,
    embeds: [
      {
        title: 'Raid alert',
        description: `Base ${event.baseId} is being raided.`,
        color: RAID_ALERT_COLOR,
        fields: [
          { name: 'Position', value: `${at(x)}, ${at(y)}, ${at(z)}`, inline: true },
          {
            name: 'Raiders',
            value: event.raiderFactionId ? `faction ${event.raiderFactionId}` : 'no faction',
            inline: true,
          },
          { name: 'Offline protection', value: event.offlineProtected ? 'active' : 'off', inline: true },
          { name: 'Structure hit', value: event.structureId },
          { name: 'Raid', value: event.raidId },
        ],
        timestamp: event.startedAt,
      },
    ],
    allowed_mentions: { parse: [] },
  };
}

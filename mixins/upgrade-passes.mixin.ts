/**
 * Gives a service its start-up passes over records an older version wrote, remembered once done
 * (lib/upgrade-passes.ts): the metadata naming the passes whose keys this version writes,
 * `this.upgrades` over the marks collection its db mixin declares as `upgradeMarks`, and the
 * marks forgotten when an instance of an older version joins. Listed before the db mixin, whose
 * `created` makes the adapters: Moleculer runs the mixins' `created` from the last listed.
 */
import type { Service, ServiceSchema } from "moleculer";
import type { DbAdapter } from "moleculer-db";
import { UpgradePasses, WRITES_KEYS } from "../lib/upgrade-passes";

export interface UpgradePassesVars {
  /** The marks of done passes, in `<service>_upgrades` (the db mixin's `extra`). */
  upgradeMarks: DbAdapter;
  upgrades: UpgradePasses;
}

type This = Service & UpgradePassesVars;

export function createUpgradePassesMixin(passes: readonly string[]): Partial<ServiceSchema> {
  return {
    metadata: { [WRITES_KEYS]: [...passes] },

    events: {
      // An instance of an older version joined: what it writes may lack keys.
      "$services.changed"(this: This) {
        this.upgrades
          .forgetWhereOlder(passes)
          .catch(err => this.logger.warn("Forgetting done start-up passes failed", String(err)));
      },
    },

    created(this: Service) {
      const self = this as This;
      self.upgrades = new UpgradePasses(self.upgradeMarks, this.broker, this.name);
    },
  };
}

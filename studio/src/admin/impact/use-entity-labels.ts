// Entity and field names as the admin reads them — their labels in the UI language, from the current
// metadata — for sentences about a change's effect on stored records. A name the metadata does not
// (yet) know stays as it is.

import { useEntities } from '../../api/meta.ts';
import { useLanguage } from '../../app/use-language.ts';

export function useEntityLabels(): { entity: (name: string) => string; field: (entity: string, field: string) => string; option: (entity: string, field: string, value: string) => string } {
  const entities = useEntities();
  const { label } = useLanguage();
  return {
    entity: (name) => {
      const definition = entities.data?.get(name);
      return definition?.label ? label(definition.label, name) : name;
    },
    field: (entity, field) => {
      const definition = entities.data?.get(entity)?.fields[field];
      return definition?.label ? label(definition.label, field) : field;
    },
    option: (entity, field, value) => {
      const option = entities.data?.get(entity)?.fields[field]?.options?.[value];
      return option?.label ? label(option.label, value) : value;
    },
  };
}

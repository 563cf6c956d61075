import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import schema from './unstructured-destinations.schema.json' with { type: 'json' };

// A copy of Unstructured's published schemas (see its $comment): our responses must validate against them.
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema(schema, 'unstructured');

export type ContractName = 'DestinationConnectorInformation' | 'DagNodeConnectionCheck' | 'HTTPValidationError';

/** The validation errors of `value` against one of Unstructured's schemas, or [] when it conforms. */
export function contractErrors(name: ContractName, value: unknown): string[] {
  const validate = ajv.getSchema(`unstructured#/$defs/${name}`);
  if (!validate) throw new Error(`no schema ${name}`);
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

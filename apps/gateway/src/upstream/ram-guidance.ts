/** What a provider must do in RAM so that the vendor may act for it; returned with every "not authorised" answer. */
export interface RamGuidance {
  vendorAbn: string;
  softwareId: string;
  steps: string[];
}

export function ramGuidance(input: { orgCode: string; vendorAbn: string; softwareId: string }): RamGuidance {
  return {
    vendorAbn: input.vendorAbn,
    softwareId: input.softwareId,
    steps: [
      "Log in to Relationship Authorisation Manager (RAM) as the organisation's principal authority or an authorisation administrator.",
      "Open 'Manage software notifications' (cloud software / hosted service notification) for the organisation's ABN.",
      `Notify the ATO of the hosted service: software provider ABN ${input.vendorAbn}, software ID ${input.softwareId}.`,
      `Then run POST /v1/organisations/${input.orgCode}/connection-test to activate the authorisation.`,
    ],
  };
}

import { SAMPLE_REQUESTS } from '../../../../../libs/usi-contract/src/testing/sample-messages';
import { ValidationError } from '../../common/errors/app-error';
import { DEFAULT_APPLICATION_ID, validApplication } from './usi-body';

describe(validApplication.name, () => {
  const { applicationId, ...withoutId } = SAMPLE_REQUESTS.CreateUSI.application;

  it('keeps the ApplicationId the caller chose', () => {
    expect(validApplication({ ...withoutId, applicationId }).applicationId).toBe(applicationId);
  });

  it('labels an application sent without ApplicationId', () => {
    expect(validApplication(withoutId).applicationId).toBe(DEFAULT_APPLICATION_ID);
  });

  it('still validates an ApplicationId the caller sent, with the path relative to the body', () => {
    const attempt = () => validApplication({ ...withoutId, applicationId: 'X'.repeat(21) });
    expect(attempt).toThrow(ValidationError);
    try {
      attempt();
    } catch (error) {
      expect((error as ValidationError).fieldErrors).toEqual([expect.objectContaining({ path: 'applicationId' })]);
    }
  });
});

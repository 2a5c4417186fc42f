import type { Application, ApplicationResponse } from './application.types';

export interface CreateUsiRequest {
  requestId: string;
  orgCode: string;
  application: Application;
}

export interface CreateUsiResponse {
  application: ApplicationResponse;
}

import { Param, PipeTransform } from '@nestjs/common';
import { NotFoundError } from '../errors/app-error';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A malformed id names no resource: answer 404 like any other absent row, not a 400 or a driver error. */
export class ResourceIdPipe implements PipeTransform<string, string> {
  constructor(private readonly resource: string) {}

  transform(value: string): string {
    if (!UUID.test(value)) throw new NotFoundError(this.resource);
    return value.toLowerCase();
  }
}

export const ResourceId = (name: string, resource: string): ParameterDecorator =>
  Param(name, new ResourceIdPipe(resource));

import { tearDownTestInfra } from './test-infra';

export default tearDownTestInfra;

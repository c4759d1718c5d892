import { setUpTestInfra } from './test-infra';

export default setUpTestInfra;
